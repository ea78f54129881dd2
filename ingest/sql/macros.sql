-- Value normalisers of spec/contract.md "Values", as DuckDB macros so that validation runs in SQL over whole
-- columns. Created as TEMP macros on the connection that ingests (ingest/validate/macros.ts).
-- Speed matters (every date cell of a 1M-row load passes here): one shape regex, then one strptime over a list of
-- formats, which stops at the first that fits.

-- 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日 → DATE; impossible dates (2024-02-30) and years outside
-- 1900–2099 → NULL. The shape check keeps strptime's leniency out (it would read 2024035 as 2024-03-05).
CREATE OR REPLACE TEMP MACRO zj_date_any(v) AS
  CASE WHEN regexp_full_match(v, '(19|20)\d{2}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|\.\d{1,2}\.\d{1,2}|\d{4}|年\d{1,2}月\d{1,2}日)')
    THEN try_strptime(v, ['%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y%m%d', '%Y年%m月%d日'])::DATE END;

-- A date form, optionally followed by ' HH:MM' or ' HH:MM:SS' (also 'T' and fractions, as Parquet and JSON write
-- them); Beijing local time, stored without zone. A date alone means 00:00. 25:00 → NULL.
CREATE OR REPLACE TEMP MACRO zj_timestamp_any(v) AS
  CASE WHEN regexp_full_match(v, '(19|20)\d{2}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|\.\d{1,2}\.\d{1,2}|\d{4}|年\d{1,2}月\d{1,2}日)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?')
    THEN try_strptime(v, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M', '%Y-%m-%dT%H:%M:%S.%f', '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d', '%Y/%m/%d %H:%M:%S.%f', '%Y/%m/%dT%H:%M:%S', '%Y/%m/%dT%H:%M', '%Y/%m/%dT%H:%M:%S.%f', '%Y.%m.%d %H:%M:%S', '%Y.%m.%d %H:%M', '%Y.%m.%d', '%Y.%m.%d %H:%M:%S.%f', '%Y.%m.%dT%H:%M:%S', '%Y.%m.%dT%H:%M', '%Y.%m.%dT%H:%M:%S.%f', '%Y%m%d %H:%M:%S', '%Y%m%d %H:%M', '%Y%m%d', '%Y%m%d %H:%M:%S.%f', '%Y%m%dT%H:%M:%S', '%Y%m%dT%H:%M', '%Y%m%dT%H:%M:%S.%f', '%Y年%m月%d日 %H:%M:%S', '%Y年%m月%d日 %H:%M', '%Y年%m月%d日', '%Y年%m月%d日 %H:%M:%S.%f', '%Y年%m月%d日T%H:%M:%S', '%Y年%m月%d日T%H:%M', '%Y年%m月%d日T%H:%M:%S.%f']) END;

-- Fast paths for the canonical spellings (what the agencies' systems export): strptime alone, with the year range
-- checked on the result instead of by the shape regex; everything else goes the long way above.
CREATE OR REPLACE TEMP MACRO zj_date(v) AS
  CASE WHEN year(try_strptime(v, '%Y-%m-%d')) BETWEEN 1900 AND 2099 THEN try_strptime(v, '%Y-%m-%d')::DATE
    ELSE zj_date_any(v) END;
CREATE OR REPLACE TEMP MACRO zj_timestamp(v) AS
  CASE WHEN year(try_strptime(v, '%Y-%m-%d %H:%M:%S')) BETWEEN 1900 AND 2099 THEN try_strptime(v, '%Y-%m-%d %H:%M:%S')
    ELSE zj_timestamp_any(v) END;

-- 是/否, true/false, 1/0, Y/N in any case → BOOLEAN; anything else NULL.
CREATE OR REPLACE TEMP MACRO zj_bool(v) AS
  CASE WHEN lower(v) IN ('是', 'true', '1', 'y') THEN true WHEN lower(v) IN ('否', 'false', '0', 'n') THEN false END;

-- Trimmed text (also tabs, line breaks, full-width and no-break spaces, BOM); the empty tokens become NULL.
-- trim() with a character list costs ~0.9 s per million-row column here, so it runs only where an edge character
-- calls for it: the first-character test is nearly free and ends_with is cheap.
CREATE OR REPLACE TEMP MACRO zj_needs_trim(v) AS
  ord(v) IN (32, 9, 10, 13, 160, 12288, 65279)
  OR ends_with(v, ' ') OR ends_with(v, chr(12288)) OR ends_with(v, chr(9)) OR ends_with(v, chr(10))
  OR ends_with(v, chr(13)) OR ends_with(v, chr(160));
CREATE OR REPLACE TEMP MACRO zj_trim_edges(v) AS
  trim(v, ' ' || chr(9) || chr(10) || chr(13) || chr(12288) || chr(160) || chr(65279));
-- The edge test runs once per cell: a CASE over a trimmed value twice (condition and result) ran it twice, 0.9 s
-- more per 66M cells (the 1M events file).
CREATE OR REPLACE TEMP MACRO zj_clean(v, tokens) AS
  CASE
    WHEN zj_needs_trim(v) THEN CASE WHEN list_contains(tokens, zj_trim_edges(v)) THEN NULL ELSE zj_trim_edges(v) END
    WHEN list_contains(tokens, v) THEN NULL
    ELSE v
  END;

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
