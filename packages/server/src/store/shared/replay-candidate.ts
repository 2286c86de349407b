/** An event of the replay window, with the webhook's delivery of it if it has one (both dialects read these). */
export interface ReplayCandidate {
  event_id: string;
  type: string;
  message_id: string;
  created_at: number;
  delivery_id: string | null;
}
