-- The picture a product card shows: the first image's small size (uploads
-- store a `thumb` beside the `url`), else the image itself. Listings select
-- this rather than the whole `images` array, so a page of cards neither sends
-- nor parses the JSON. A one-line SQL function, which PostgreSQL inlines.
CREATE FUNCTION card_thumb(images jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(images -> 0 ->> 'thumb', images -> 0 ->> 'url');
