export { avroType, unwrapUnion, type AvroType } from './avro';
export { decodeFieldBitmap, encodeFieldBitmap } from './bitmap';
export {
  ERROR_CODE_KEY,
  PUBSUB_ERRORS,
  TASK_CHANGE_TOPIC,
  decodeReplayId,
  encodeReplayId,
  pubSubService,
} from './proto';
