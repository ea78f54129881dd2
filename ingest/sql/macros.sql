-- Value normalisers of spec/contract.md "Values", as DuckDB macros so that validation runs in SQL over whole
-- columns. Created as TEMP macros on the connection that ingests (ingest/validate/macros.ts).

-- 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日 → '2024-3-5' style text, anything else unchanged.
CREATE OR REPLACE TEMP MACRO zj_date_text(v) AS
  regexp_replace(
    regexp_replace(
      regexp_replace(v, '^(\d{4})年(\d{1,2})月(\d{1,2})日$', '\1-\2-\3'),
      '^(\d{4})(\d{2})(\d{2})$', '\1-\2-\3'),
    '^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$', '\1-\2-\3');

-- A real calendar date (2024-02-30 → NULL) in a plausible range, else NULL.
CREATE OR REPLACE TEMP MACRO zj_date(v) AS
  CASE WHEN regexp_full_match(zj_date_text(v), '(19|20)\d{2}-\d{1,2}-\d{1,2}')
    THEN try_strptime(zj_date_text(v), '%Y-%m-%d')::DATE END;

-- A date form, optionally followed by ' HH:MM' or ' HH:MM:SS' (also 'T' and fractions, as Parquet and JSON write
-- them); Beijing local time, stored without zone. A date alone means 00:00.
CREATE OR REPLACE TEMP MACRO zj_timestamp(v) AS
  CASE WHEN regexp_full_match(v, '(\S+?)(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?')
    THEN zj_date(regexp_extract(v, '^(\S+?)(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$', 1))
      + coalesce(try_cast(nullif(regexp_extract(v, '[ T]+(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$', 1), '') AS TIME), TIME '00:00:00')
  END;
-- try_cast above yields NULL for 25:00; zj_timestamp_bad tells that apart from an absent time.
CREATE OR REPLACE TEMP MACRO zj_timestamp_bad(v) AS
  zj_timestamp(v) IS NULL
  OR (regexp_extract(v, '[ T]+(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$', 1) <> ''
      AND try_cast(regexp_extract(v, '[ T]+(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$', 1) AS TIME) IS NULL);

-- 是/否, true/false, 1/0, Y/N in any case → BOOLEAN; anything else NULL.
CREATE OR REPLACE TEMP MACRO zj_bool(v) AS
  CASE WHEN lower(v) IN ('是', 'true', '1', 'y') THEN true WHEN lower(v) IN ('否', 'false', '0', 'n') THEN false END;

-- Trimmed text (also full-width and no-break spaces); the empty tokens become NULL.
CREATE OR REPLACE TEMP MACRO zj_clean(v, tokens) AS
  CASE WHEN list_contains(tokens, regexp_replace(v, '^[\s\x{3000}\x{00A0}\x{FEFF}]+|[\s\x{3000}\x{00A0}]+$', '', 'g')) THEN NULL
    ELSE regexp_replace(v, '^[\s\x{3000}\x{00A0}\x{FEFF}]+|[\s\x{3000}\x{00A0}]+$', '', 'g') END;

-- 张三 → 张某, 张小明 → 张某某, 欧阳修 → 欧阳某; names with · keep their first character + 某某 (contract.md).
CREATE OR REPLACE TEMP MACRO zj_mask_name(v, compound) AS
  CASE
    WHEN v IS NULL THEN NULL
    WHEN regexp_matches(v, '[·•・.]') THEN left(v, 1) || '某某'
    WHEN length(v) >= 3 AND list_contains(compound, left(v, 2))
      THEN left(v, 2) || CASE WHEN length(v) = 3 THEN '某' ELSE '某某' END
    ELSE left(v, 1) || CASE WHEN length(v) <= 2 THEN '某' ELSE '某某' END
  END;

-- HMAC-SHA256 (RFC 2104) with the pads of the local secret bound as BLOBs; ID numbers are compared upper-case.
CREATE OR REPLACE TEMP MACRO zj_hmac(v, ipad, opad) AS
  CASE WHEN v IS NULL THEN NULL ELSE sha256(opad || unhex(sha256(ipad || encode(upper(v))))) END;
