import { SluiceError } from '../errors.js';

/**
 * A vendor API refused a request for good (bad key, forbidden, bad cursor) or kept failing after every
 * retry. It carries the vendor's own status, code and message, so that the run report says what the vendor
 * said; the pages landed before it stay landed and the next run resumes from the last cursor.
 */
export class VendorError extends SluiceError {
  /** HTTP status of the last answer (0 when the vendor could not be reached). */
  readonly status: number;
  /** The vendor's error code, when its error body has one. */
  readonly vendorCode: string | undefined;

  constructor(vendor: string, status: number, vendorCode: string | undefined, message: string) {
    super('vendor_error', `${vendor} answered ${status || 'nothing'}: ${message}`);
    this.status = status;
    this.vendorCode = vendorCode;
  }
}
