/** Every reason the retry policy gives for stopping (the contract lives in the errors package). */
export { GIVE_UP_REASONS, type GiveUpReason } from '@flora-resilience/errors';
