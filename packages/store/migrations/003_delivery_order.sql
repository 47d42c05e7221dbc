-- `failed` now ranks below `delivered` and `read` (DELIVERY_STATUSES in the contract): a failure reported
-- after the message arrived no longer overrides it. Ranks stored in the old order are renumbered.
UPDATE messages SET delivery_rank = CASE delivery_status
    WHEN 'received' THEN 0
    WHEN 'queued' THEN 1
    WHEN 'sent' THEN 2
    WHEN 'failed' THEN 3
    WHEN 'delivered' THEN 4
    WHEN 'read' THEN 5
  END
WHERE delivery_status IN ('failed', 'delivered', 'read');
