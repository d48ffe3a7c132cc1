-- iamfit: the calls of arn:aws:iam::123456789012:role/gh-deploy, aggregated for iamfit generate --cloudtrail RESULT.csv.
-- Add the table's partition columns (region, year, month, day) to the WHERE
-- clause to scan less.
SELECT
  eventsource,
  eventname,
  awsregion,
  recipientaccountid,
  errorcode,
  json_format(CAST(map_filter(TRY(CAST(json_parse(requestparameters) AS MAP(VARCHAR, JSON))),
    (k, v) -> is_json_scalar(v) OR (json_array_length(v) IS NOT NULL AND strpos(json_format(v), '{') = 0)) AS JSON)) AS requestparameters,
  array_join(transform(resources, r -> r.arn), ' ') AS resources,
  count(*) AS calls,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen
FROM security.cloudtrail_logs
WHERE (useridentity.sessioncontext.sessionissuer.arn = 'arn:aws:iam::123456789012:role/gh-deploy' OR useridentity.arn = 'arn:aws:iam::123456789012:role/gh-deploy')
  AND (errorcode IS NULL OR errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation', 'UnauthorizedException', 'AuthorizationError', 'Forbidden'))
  AND eventtime >= '2026-01-01T00:00:00Z'
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY 1, 2, 3, 4, 5, 6, 7
