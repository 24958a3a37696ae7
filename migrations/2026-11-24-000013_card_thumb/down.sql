DROP FUNCTION card_thumb(jsonb);
