import { mediaBackendContract } from './media-backend-contract.js';
import { BACKEND_HARNESSES } from './media-fixtures.js';

for (const [name, start] of BACKEND_HARNESSES) mediaBackendContract(name, start);
