// Settings from the task definition's environment.
export const config = {
  table: process.env.SESSIONS_TABLE ?? "sessions",
  bucket: process.env.MEDIA_BUCKET!,
  prefix: "media/",
};
