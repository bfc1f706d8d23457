import nodemailer from 'nodemailer';
import type { Expediteur } from '../usecases/envoi.js';

/** The mail server adapter: nodemailer over SMTP, one connection per message (the sender runs in passes). */
export function expediteurSmtp(smtpUrl: string, de: string): Expediteur {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async envoyer(m) {
      await transport.sendMail({
        from: de,
        to: m.a,
        subject: m.sujet,
        text: m.texte,
        html: m.html,
        messageId: m.messageId,
      });
    },
  };
}
