ALTER FUNCTION search_bucket_names(uuid) STRICT;
