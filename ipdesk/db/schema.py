"""The schema, one numbered step per change. Never edit a step that has shipped: add one."""
from __future__ import annotations

_MONEY = "INTEGER NOT NULL DEFAULT 0 CHECK ({0} >= 0)"

STEP_1 = [
    """CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)""",
    """CREATE TABLE units (
        code TEXT PRIMARY KEY CHECK (length(code) = 6),
        name TEXT NOT NULL,
        parent_code TEXT,
        is_self INTEGER NOT NULL DEFAULT 0,
        contact_person TEXT, phone TEXT, email TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime')))""",
    """CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('填报人','审核人','管理员')),
        password_hash TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime')))""",
    f"""CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL REFERENCES units(code),
        name TEXT NOT NULL,
        case_no TEXT,
        category TEXT NOT NULL,
        source TEXT, procedure TEXT, handler TEXT,
        party_name TEXT, party_id_no TEXT, party_address TEXT,
        right_holder TEXT, ip_object TEXT, goods TEXT, facts TEXT, violation_provision TEXT,
        flag_ecommerce INTEGER NOT NULL DEFAULT 0, flag_key_market INTEGER NOT NULL DEFAULT 0,
        flag_rural INTEGER NOT NULL DEFAULT 0, flag_foreign INTEGER NOT NULL DEFAULT 0,
        lead_date TEXT, declined_date TEXT, filed_date TEXT, decision_date TEXT, closed_date TEXT,
        amount_involved_fen {_MONEY.format('amount_involved_fen')},
        fine_fen {_MONEY.format('fine_fen')},
        confiscated_fen {_MONEY.format('confiscated_fen')},
        recovered_fen {_MONEY.format('recovered_fen')},
        decision_no TEXT, outcome TEXT, penalty_kinds TEXT NOT NULL DEFAULT '[]',
        referral_date TEXT, referral_body TEXT,
        extension_approved INTEGER NOT NULL DEFAULT 0,
        remarks TEXT,
        needs_completion TEXT NOT NULL DEFAULT '[]',
        inspection_id INTEGER,
        created_at TEXT, updated_at TEXT, created_by TEXT, updated_by TEXT)""",
    "CREATE UNIQUE INDEX cases_unit_case_no ON cases(unit_code, case_no) WHERE case_no IS NOT NULL AND case_no <> ''",
    "CREATE INDEX cases_filed ON cases(unit_code, filed_date)",
    "CREATE INDEX cases_closed ON cases(unit_code, closed_date)",
    "CREATE INDEX cases_decision ON cases(unit_code, decision_date)",
    "CREATE INDEX cases_lead ON cases(unit_code, lead_date)",
    """CREATE TABLE case_adjustments (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('中止','延期')),
        start_date TEXT NOT NULL, end_date TEXT, reason TEXT NOT NULL,
        created_by TEXT, created_at TEXT)""",
    """CREATE TABLE inspections (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL REFERENCES units(code),
        date TEXT NOT NULL, kind TEXT NOT NULL, campaign TEXT, place_kind TEXT NOT NULL,
        subject_name TEXT, subject_id_no TEXT, subject_address TEXT,
        subject_count INTEGER NOT NULL DEFAULT 0 CHECK (subject_count >= 0),
        officers INTEGER NOT NULL DEFAULT 0 CHECK (officers >= 0),
        findings TEXT,
        case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
        created_at TEXT, updated_at TEXT, created_by TEXT, updated_by TEXT)""",
    "CREATE INDEX inspections_date ON inspections(unit_code, date)",
    """CREATE TABLE work_items (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL REFERENCES units(code),
        date TEXT NOT NULL, kind TEXT NOT NULL, title TEXT,
        count_a INTEGER NOT NULL DEFAULT 0 CHECK (count_a >= 0),
        count_b INTEGER NOT NULL DEFAULT 0 CHECK (count_b >= 0),
        remarks TEXT,
        created_at TEXT, updated_at TEXT, created_by TEXT, updated_by TEXT)""",
    "CREATE INDEX work_items_date ON work_items(unit_code, date)",
    """CREATE TABLE manual_cells (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL REFERENCES units(code),
        indicator_id TEXT NOT NULL,
        period TEXT NOT NULL,
        value REAL,
        note TEXT, entered_by TEXT, entered_at TEXT,
        UNIQUE (unit_code, indicator_id, period))""",
    """CREATE TABLE explanations (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL, period TEXT NOT NULL, check_key TEXT NOT NULL,
        text TEXT NOT NULL, entered_by TEXT, entered_at TEXT,
        UNIQUE (unit_code, period, check_key))""",
    """CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL, period TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1,
        catalog_version TEXT NOT NULL,
        approved_by TEXT NOT NULL, approved_at TEXT NOT NULL,
        annex1_json TEXT NOT NULL, annex2_json TEXT NOT NULL,
        checks_json TEXT, explanations_json TEXT, reason TEXT,
        package_uuid TEXT, package_sha256 TEXT, exported_at TEXT,
        superseded_at TEXT, reopened_at TEXT, reopened_by TEXT, reopen_reason TEXT,
        UNIQUE (unit_code, period, revision))""",
    """CREATE TABLE received_packages (
        id INTEGER PRIMARY KEY,
        package_uuid TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        unit_code TEXT NOT NULL, unit_name TEXT, parent_code TEXT,
        period TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1,
        catalog_version TEXT, created_at TEXT, received_at TEXT NOT NULL,
        correction_of TEXT,
        manifest_json TEXT NOT NULL, annex1_json TEXT NOT NULL, annex2_json TEXT NOT NULL,
        replaced_by TEXT, replaced_at TEXT)""",
    "CREATE INDEX received_unit_period ON received_packages(unit_code, period)",
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL, user_name TEXT,
        op_id INTEGER, op_label TEXT,
        action TEXT NOT NULL, table_name TEXT, record_id TEXT,
        old_json TEXT, new_json TEXT, undone INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX audit_op ON audit_log(op_id)",
    """CREATE TABLE holidays (date TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')), name TEXT)""",
]

# Exchange: the exact bytes of a sent package (re-sent identically) and whether its ID numbers were masked.
STEP_2 = [
    "ALTER TABLE submissions ADD COLUMN package_blob BLOB",
    "ALTER TABLE submissions ADD COLUMN package_masked INTEGER",
    "ALTER TABLE received_packages ADD COLUMN checks_json TEXT",
]

# Statistics at city scale (bench/): each 附件1 query reads one narrow index instead of the table.
# The columns are those the catalogue's measures read for that date field; the closed-date index
# also answers "open at a date" (filed before, not closed before). Measured on 100k cases.
STEP_3 = [
    "CREATE INDEX cases_filed_stats ON cases(unit_code, filed_date, category, procedure, flag_ecommerce, "
    "flag_key_market, flag_rural, flag_foreign, amount_involved_fen)",
    "CREATE INDEX cases_decision_stats ON cases(unit_code, decision_date, category, amount_involved_fen, fine_fen, "
    "confiscated_fen, recovered_fen, flag_foreign)",
    "CREATE INDEX cases_closed_stats ON cases(unit_code, closed_date, category, filed_date)",
    "CREATE INDEX cases_referral_stats ON cases(unit_code, referral_date, category, outcome)",
    "CREATE INDEX inspections_stats ON inspections(unit_code, date, kind, place_kind, officers, subject_count)",
    "ANALYZE",
]

# The ledger's default order (records.RECENT) read from an index: the first page of 100k cases
# without sorting them.
STEP_4 = [
    "CREATE INDEX cases_recent ON cases(unit_code, COALESCE(filed_date, lead_date))",
]

# Statistics for the planner including cases_recent (without them SQLite walked that index for
# filtered ledgers: seconds at 100k cases). Desk.close() keeps them fresh with PRAGMA optimize.
STEP_5 = ["ANALYZE"]

# Statistics indexes keyed by month (expression indexes on substr(date, 1, 7), the key
# aggregate.monthly_values groups by): the rows come in the order they are summed, so SQLite no
# longer sorts every row of two years into months (quick city, a year's 附件1: 16 → ~10 ms). Each
# ends with its date so the queries read nothing else. They replace STEP_3's date-keyed ones, except
# cases_closed_stats, which answers "open at a date" (aggregate.open_cases_at) by the day.
STEP_6 = [
    "DROP INDEX cases_filed_stats",
    "DROP INDEX cases_decision_stats",
    "DROP INDEX cases_referral_stats",
    "DROP INDEX inspections_stats",
    "CREATE INDEX cases_filed_month ON cases(unit_code, substr(filed_date, 1, 7), category, procedure, "
    "flag_ecommerce, flag_key_market, flag_rural, flag_foreign, amount_involved_fen, filed_date)",
    "CREATE INDEX cases_closed_month ON cases(unit_code, substr(closed_date, 1, 7), category, filed_date, closed_date)",
    "CREATE INDEX cases_decision_month ON cases(unit_code, substr(decision_date, 1, 7), category, "
    "amount_involved_fen, fine_fen, confiscated_fen, recovered_fen, flag_foreign, decision_date)",
    "CREATE INDEX cases_referral_month ON cases(unit_code, substr(referral_date, 1, 7), category, outcome, "
    "referral_date)",
    "CREATE INDEX inspections_month ON inspections(unit_code, substr(date, 1, 7), kind, place_kind, officers, "
    "subject_count, date)",
    "CREATE INDEX work_items_month ON work_items(unit_code, substr(date, 1, 7), kind, count_a, count_b, date)",
    "ANALYZE",
]

# The 撤销 button's label (audit.last_undoable: a user's newest undoable operation) from an index. Without
# it SQLite walked the whole log newest first for a user with no operation of their own — the second
# person at a shared PC: 6 s at a city's 257,000 entries, on every start and after every change.
STEP_7 = ["CREATE INDEX audit_user_op ON audit_log(user_name, op_id)"]

# The cases whose time limit is running (open), by what decides whether it may be near: records.open_cases
# with warning cutoffs reads the ~100 of a city's ~1,700 open cases that can be, instead of every open row.
STEP_8 = ["CREATE INDEX cases_open ON cases(unit_code, procedure, filed_date, lead_date) "
          "WHERE closed_date IS NULL AND declined_date IS NULL",
          "ANALYZE cases"]

# Every file knows which office file it is (ipdesk.db.identity): backups and restore match on it. JSON text, as
# every setting.
STEP_9 = ["INSERT OR IGNORE INTO settings (key, value) VALUES ('file_uuid', '\"' || lower(hex(randomblob(16))) || '\"')"]

# A received package can be withdrawn (a forged or mistaken one), logged with who, when and why; withdrawing a
# correction reinstates the revision it had replaced.
STEP_10 = ["ALTER TABLE received_packages ADD COLUMN withdrawn_at TEXT",
           "ALTER TABLE received_packages ADD COLUMN withdrawn_by TEXT",
           "ALTER TABLE received_packages ADD COLUMN withdrawn_reason TEXT"]

# Time limits as 《市场监督管理行政处罚程序规定》第十八条、第六十四条 count them: what a pause was (听证, 公告,
# 检测、检验、检疫、鉴定 …; ``cause``) and the date a collectively decided further extension sets (``due_date``).
STEP_11 = ["ALTER TABLE case_adjustments ADD COLUMN cause TEXT",
           "ALTER TABLE case_adjustments ADD COLUMN due_date TEXT"]

# The 2024 放假调休安排 (国办发明电〔2023〕7号), now shipped in resources/data/holidays-cn.csv, for files created
# before: the demo and old leads reach back to 2024. A date the office entered itself is kept.
STEP_12 = ["""INSERT OR IGNORE INTO holidays (date, kind, name) VALUES
    ('2024-01-01', 'holiday', '元旦'),
    ('2024-02-04', 'workday', '春节调休上班'),
    ('2024-02-10', 'holiday', '春节'),
    ('2024-02-11', 'holiday', '春节'),
    ('2024-02-12', 'holiday', '春节'),
    ('2024-02-13', 'holiday', '春节'),
    ('2024-02-14', 'holiday', '春节'),
    ('2024-02-15', 'holiday', '春节'),
    ('2024-02-16', 'holiday', '春节'),
    ('2024-02-17', 'holiday', '春节'),
    ('2024-02-18', 'workday', '春节调休上班'),
    ('2024-04-04', 'holiday', '清明节'),
    ('2024-04-05', 'holiday', '清明节'),
    ('2024-04-06', 'holiday', '清明节'),
    ('2024-04-07', 'workday', '清明节调休上班'),
    ('2024-04-28', 'workday', '劳动节调休上班'),
    ('2024-05-01', 'holiday', '劳动节'),
    ('2024-05-02', 'holiday', '劳动节'),
    ('2024-05-03', 'holiday', '劳动节'),
    ('2024-05-04', 'holiday', '劳动节'),
    ('2024-05-05', 'holiday', '劳动节'),
    ('2024-05-11', 'workday', '劳动节调休上班'),
    ('2024-06-08', 'holiday', '端午节'),
    ('2024-06-09', 'holiday', '端午节'),
    ('2024-06-10', 'holiday', '端午节'),
    ('2024-09-14', 'workday', '中秋节调休上班'),
    ('2024-09-15', 'holiday', '中秋节'),
    ('2024-09-16', 'holiday', '中秋节'),
    ('2024-09-17', 'holiday', '中秋节'),
    ('2024-09-29', 'workday', '国庆节调休上班'),
    ('2024-10-01', 'holiday', '国庆节'),
    ('2024-10-02', 'holiday', '国庆节'),
    ('2024-10-03', 'holiday', '国庆节'),
    ('2024-10-04', 'holiday', '国庆节'),
    ('2024-10-05', 'holiday', '国庆节'),
    ('2024-10-06', 'holiday', '国庆节'),
    ('2024-10-07', 'holiday', '国庆节'),
    ('2024-10-12', 'workday', '国庆节调休上班')"""]

# 当事人类型 (单位 / 个体工商户 / 个人): a party's code is checked as that kind, and only a person's is masked upward.
# Older rows keep NULL; their kind is inferred from the code where needed (identifiers.infer_party_kind).
STEP_13 = ["ALTER TABLE cases ADD COLUMN party_kind TEXT"]

# An approved (and sent) month of a city whose consolidation changed afterwards — a subordinate's correction
# accepted after approval — is marked as needing its own 更正 (why, in words); it is not re-sent as it was.
STEP_14 = ["ALTER TABLE submissions ADD COLUMN stale_reason TEXT"]

# Consolidation over any span (city mode): each received package's 附件1 cells in a narrow table SQLite sums by
# unit and cell (db/received.py) — the exact values (money in 分) and, for money, the printed 万元 in 分 — filled
# from the packages already received (an older package's exact 上年同期 is its printed one); the packages of a
# span found by month.
_PRINTED_15 = ("CASE WHEN json_extract(c.value, '$.unit') = '万元' THEN CAST(round(json_extract(c.value, '$.{0}') "
               "* 1000000) AS INTEGER) ELSE json_extract(c.value, '$.{0}') END")
_EXACT_15 = "COALESCE(json_extract(c.value, '$.base.{0}'), " + _PRINTED_15 + ")"
STEP_15 = [
    """CREATE TABLE IF NOT EXISTS received_cells (
        received_id INTEGER NOT NULL REFERENCES received_packages(id) ON DELETE CASCADE,
        cell_id TEXT NOT NULL,
        current NUMERIC, ytd NUMERIC, prev_current NUMERIC, prev_ytd NUMERIC,
        p_current NUMERIC, p_ytd NUMERIC, p_prev_current NUMERIC, p_prev_ytd NUMERIC,
        PRIMARY KEY (received_id, cell_id)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS received_period ON received_packages(period, unit_code)",
    "INSERT OR IGNORE INTO received_cells (received_id, cell_id, current, ytd, prev_current, prev_ytd, p_current, "
    "p_ytd, "
    "p_prev_current, p_prev_ytd) SELECT r.id, json_extract(c.value, '$.id'), "
    + ", ".join(_EXACT_15.format(k) for k in ("current", "ytd", "prev_current", "prev_ytd")) + ", "
    + ", ".join(_PRINTED_15.format(k) for k in ("current", "ytd", "prev_current", "prev_ytd"))
    + " FROM received_packages r, json_each(r.annex1_json, '$.cells') c",
]

# Record ids are never reused: a delete undone puts its row back under its own id, and an undo never touches
# a newer record that took a freed id. The highest id ever given per table, seeded from the audit log.
STEP_16 = ["CREATE TABLE IF NOT EXISTS id_counters (table_name TEXT PRIMARY KEY, last_id INTEGER NOT NULL)",
           "INSERT OR IGNORE INTO id_counters (table_name, last_id) SELECT table_name, MAX(CAST(record_id AS INTEGER)) "
           "FROM audit_log WHERE table_name IN ('cases', 'case_adjustments', 'inspections', 'work_items', "
           "'manual_cells', 'explanations') AND record_id GLOB '[0-9]*' GROUP BY table_name"]

# Each received package's 附件2 JSON also in a narrow table: a consolidation reads every package of its span
# (1,236 for a region's year), and read from received_packages each walked the overflow pages of the ~73 KB
# annex1 JSON stored before it. Filled from the packages already received.
STEP_17 = ["""CREATE TABLE IF NOT EXISTS received_annex2 (
        received_id INTEGER PRIMARY KEY REFERENCES received_packages(id) ON DELETE CASCADE,
        annex2_json TEXT NOT NULL)""",
           "INSERT OR IGNORE INTO received_annex2 (received_id, annex2_json) SELECT id, annex2_json FROM received_packages"]

# One entry per schema version: STEPS[0] takes an empty file to version 1.
STEPS: list[list[str]] = [STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, STEP_6, STEP_7, STEP_8, STEP_9, STEP_10, STEP_11,
                          STEP_12, STEP_13, STEP_14, STEP_15, STEP_16, STEP_17]
