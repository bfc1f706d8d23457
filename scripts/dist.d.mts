export declare const ROOT: string;
export declare const DIST: string;
export declare function distAJour(): boolean;
export declare function construire(opts?: { silencieux?: boolean }): boolean;
