import type { ChildProcess } from 'node:child_process';

export declare const REDIS_SERVER_MISSING: string;
export declare function redisServerInstalled(): boolean;
export declare function freePort(): Promise<number>;
export declare function spawnRedisServer(port: number): Promise<ChildProcess>;
