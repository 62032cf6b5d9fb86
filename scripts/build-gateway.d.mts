export declare const GATEWAY_BUNDLE: string;
export declare function newest(p: string): number;
export declare function buildGateway(options?: { force?: boolean }): Promise<boolean>;
export declare function gatewayNodeArgs(): string[];
export declare function gatewayNodeEnv(): Record<string, string>;
