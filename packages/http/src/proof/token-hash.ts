import { sha256 } from '@nestoken/core';
import { base64url } from 'jose';

/**
 * The hash every WPT claim over another token uses (`wth`, `ath`, `tth`, `oth` values):
 * base64url of SHA-256 over the ASCII bytes of the value, leading and trailing spaces removed.
 */
export const tokenHash = (value: string): string => base64url.encode(sha256(new TextEncoder().encode(value.trim())));
