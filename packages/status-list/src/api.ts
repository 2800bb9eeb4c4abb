export { StatusList, checkBits, type StatusBits, type StatusListJson } from './status-list.js';
export { STATUS, statusName, type StatusName } from './status-values.js';
export { DEFAULT_STATUS_LIST_LIMITS, type StatusListLimits } from './limits.js';
export {
  signStatusListJwt,
  signStatusListCwt,
  verifyStatusListToken,
  STATUS_LIST_JWT_TYP,
  STATUS_LIST_CWT_TYP,
  type StatusListTokenInit,
  type StatusListTokenFormat,
  type VerifiedStatusList,
  type VerifyStatusListOptions,
} from './status-list-token.js';
export { statusListReference, referencedTokenStatus, CWT_STATUS_CLAIM } from './status-reference.js';
export { statusListRevocation, type StatusListSource, type StatusListSourceOptions, type StatusListFetch } from './status-source.js';
export { fflateZlib, useZlibBackend, zlibBackend, type ZlibBackend } from './zlib.js';
export { httpStatusListFetch, type HttpStatusListFetchOptions } from './status-fetch.js';
