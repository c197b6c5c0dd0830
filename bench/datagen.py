"""Generates the benchmark data straight into a migrated portal database that already holds the real catalogue.

The rows are the ones the application itself writes:
- dossiers as agencies' one-stop systems report them through `POST /api/v1/sync/dossiers` (`DossierSync`):
  origin 'sync', no portal applicant, the applicant JSON as `DossierStore.encode` writes it, the status and dates
  of the last applied event, the statistics columns (`paused_at`, `supplemented`, `work_seconds` by the legal
  calendar), one `dossier_events` row (applied = 1) and one `sync_events` row per event, and the public counters;
- citizens' accounts as `/dang-ky` registers them (a valid personal ID for the birth date and sex, a real commune,
  an `audit_log` row, the accounts counter), except that all accounts of one bcrypt cost share one hash of the
  same password: computing a hash per account would take hours at cost 12 and verifying it costs the same.

Names come from ../shared/data/vn-person-names, communes from vn-admin-units-2025, holidays from vn-holidays.
Nothing here is printed: names and ID numbers stay in the database and in the harness's temporary files.
"""

import csv
import datetime
import json
import os
import random
import secrets
import time
import unicodedata

from workcal import DAY, OFFSET, WorkingCalendar

# Status paths of dossiers an agency's system reports (DVCQG codes: 1 submitted, 2 received, 4 processing,
# 5 supplement requested, 6 payment requested, 8 stopped, 9 processed, 10 result returned), with weights.
# Their mean length is about 10 events; each step is one an agency system may report (DossierStateMachine).
PATHS = [
    ((1, 2, 4, 6, 4, 5, 4, 6, 4, 9, 10), 25),
    ((1, 5, 1, 2, 4, 5, 4, 6, 4, 9, 10), 15),
    ((1, 2, 4, 5, 4, 6, 4, 6, 4, 9), 15),
    ((1, 2, 4, 6, 4, 6, 4, 5, 4, 9, 10), 15),
    ((1, 2, 4, 5, 4, 6, 4, 6, 4), 10),
    ((1, 5, 1, 2, 4, 6, 4, 5, 8), 5),
    ((1, 2, 4, 6, 4, 9, 10), 10),
    ((1, 5, 1, 2, 4, 6, 4, 5, 4, 6, 4, 9, 10), 5),
]
# The path every dossier of the sync scenario (P3) follows: ten events.
SYNC_PATH = (1, 2, 4, 6, 4, 5, 4, 6, 4, 9)

NOTES = {
    3: ["Hồ sơ không thuộc thẩm quyền giải quyết", "Hồ sơ không đúng mẫu quy định"],
    5: [
        "Bổ sung bản sao giấy tờ tùy thân",
        "Bổ sung tờ khai có chữ ký của người yêu cầu",
        "Bổ sung giấy tờ chứng minh nơi cư trú",
    ],
    8: ["Người yêu cầu không bổ sung hồ sơ đúng hạn"],
}
# Procedures citizens use most, searched and filed first (codes from the national catalogue).
COMMON_PROCEDURES = [
    "1.001193", "1.000894", "1.000656", "1.004222", "1.004194", "2.000815", "2.000884", "1.001612", "1.012753",
]
HISTORY_DAYS = 540
PASSWORD = "Hoa-sen-no-giua-dam-2025"


def fold(text):
    """Lower case without accents (đ → d), as `VietnameseText.fold` compares."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class People:
    """Synthetic Vietnamese people: names by gender, personal ID numbers consistent with province, sex and birth
    year, tax codes with their check digit, real communes."""

    def __init__(self, shared, rng):
        self.rng = rng
        names = os.path.join(shared, "vn-person-names")
        self.surnames = [r["surname"] for r in read_csv(os.path.join(names, "surnames.csv"))]
        common = [r["surname"] for r in read_csv(os.path.join(names, "surnames.csv")) if r["is_common"] == "true"]
        # Common surnames carry most of the population.
        self.surname_weights = [12 if s in common else 1 for s in self.surnames]
        self.middle = {"male": [], "female": []}
        self.given = {"male": [], "female": []}
        for row in read_csv(os.path.join(names, "middle_names.csv")):
            self.middle.setdefault(row["gender"], []).append(row["name"])
        for row in read_csv(os.path.join(names, "given_names.csv")):
            self.given.setdefault(row["gender"], []).append(row["name"])
        self.communes = read_csv(os.path.join(shared, "vn-admin-units-2025", "communes.csv"))
        mapping = read_csv(os.path.join(shared, "vn-admin-units-mapping-2025", "province_mapping.csv"))
        # The birth-registration province of an ID number is a pre-2025 province; pick one that merged into
        # the person's current province.
        self.old_provinces = {}
        for row in mapping:
            self.old_provinces.setdefault(row["new_province_code"], []).append("0" + row["old_province_code"])
        self.used_ids = set()

    def name(self, sex):
        surname = self.rng.choices(self.surnames, self.surname_weights)[0]
        return f"{surname} {self.rng.choice(self.middle[sex])} {self.rng.choice(self.given[sex])}"

    def person(self):
        """A citizen: name, sex, birth date, personal ID, commune."""
        rng = self.rng
        sex = rng.choice(("male", "female"))
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(56 * 365))
        commune = rng.choice(self.communes)
        province3 = rng.choice(self.old_provinces[commune["province_code"]])
        century_sex = (birth.year - 1900) // 100 * 2 + (0 if sex == "male" else 1)
        while True:
            pid = f"{province3}{century_sex}{birth.year % 100:02d}{rng.randrange(1_000_000):06d}"
            if pid not in self.used_ids:
                self.used_ids.add(pid)
                break
        return {"name": self.name(sex), "sex": sex, "birth": birth.isoformat(), "id": pid, "commune": commune}

    def tax_code(self):
        weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
        while True:
            digits = [0, self.rng.randrange(1, 9)] + [self.rng.randrange(10) for _ in range(7)]
            check = 10 - sum(d * w for d, w in zip(digits, weights)) % 11
            if check < 10:
                return "".join(map(str, digits)) + str(check)

    def business_name(self):
        kind = self.rng.choice(("Công ty TNHH", "Công ty Cổ phần", "Hộ kinh doanh"))
        trade = self.rng.choice(("Thương mại", "Xây dựng", "Dịch vụ", "Nông sản", "Vận tải"))
        return f"{kind} {trade} {self.rng.choice(self.given['male'])} {self.rng.choice(self.given['female'])}"


class Catalogue:
    """The imported procedures and agencies, with what generation needs of them."""

    def __init__(self, db, rng):
        procedures = []
        for code, levels, agency_codes, record, online_level, audiences in db.query(
            "SELECT code, levels, agency_codes, record, online_level, audiences FROM procedures ORDER BY code"
        ):
            procedures.append(
                {
                    "code": code,
                    "record": json.loads(record),
                    "local": "province" in levels or "commune" in levels,
                    "agencies": [a for a in agency_codes.split(",") if a],
                    "online": online_level != "none",
                    "citizen": audiences in (",,", "") or ",citizen," in audiences,
                }
            )
        self.procedures = procedures
        agencies = [row[0] for row in db.query("SELECT code FROM agencies ORDER BY code")]
        # Provinces' People's Committees and, from the demo catalogue, some of their departments and communes.
        self.local_agencies = [a for a in agencies if a.split(".")[-1].startswith("H")]
        self.agencies = set(agencies)
        # A few procedures are filed far more often than the rest: common ones first, then a Zipf-like tail.
        order = list(range(len(procedures)))
        rng.shuffle(order)
        index = {p["code"]: i for i, p in enumerate(procedures)}
        common = [index[c] for c in COMMON_PROCEDURES if c in index]
        order = common + [i for i in order if i not in common]
        self.order = order
        cumulative, total = [], 0.0
        for rank in range(len(order)):
            total += 1.0 / (rank + 5)
            cumulative.append(total)
        self.cumulative = cumulative
        # Hồ Chí Minh City and Hà Nội file the most.
        self.local_weights = [6 if a.endswith((".H29", ".H26")) else 1 for a in self.local_agencies]

    def processing_days(self, procedure):
        """Working days the procedure allows, from its record (15 when it says nothing usable)."""
        time_ = procedure["record"].get("processingTime") or {}
        amount, unit = time_.get("amount"), time_.get("unit")
        if not amount:
            return 15
        days = {"working_days": amount, "days": amount * 5 / 7, "hours": amount / 8, "months": amount * 22}.get(
            unit, amount
        )
        return max(1, min(120, int(round(days))))

    def pick(self, rng):
        """A procedure, weighted by popularity, and the agency that handles it."""
        procedure = self.procedures[self.order[rng.choices(range(len(self.order)), cum_weights=self.cumulative)[0]]]
        if procedure["local"] or not procedure["agencies"] or procedure["agencies"][0] not in self.agencies:
            agency = rng.choices(self.local_agencies, self.local_weights)[0]
        else:
            agency = procedure["agencies"][0]
        return procedure, agency

    def submission_targets(self):
        """Procedures a citizen can file online in the mixed workload: code, agency and the first upload slot
        (`DossierFormSchema.standard`: the first document that is not only shown)."""
        targets = []
        preferred = set(COMMON_PROCEDURES)
        for p in sorted(self.procedures, key=lambda p: p["code"] not in preferred):
            handling = p["record"].get("handlingAgencyCodes") or []
            if not (p["online"] and p["citizen"] and handling and handling[0] in self.agencies):
                continue
            slots = [
                i for i, d in enumerate(p["record"].get("documents") or [])
                if not fold(d.get("quantity") or "").startswith("xuat trinh")
            ]
            if slots:
                targets.append((p["code"], handling[0], slots[0]))
            if len(targets) == 20:
                break
        return targets


def applicant_json(kind, name, identifier):
    """`Applicant` as `DossierStore.encode` writes it: sorted keys, absent values left out, UTF-8 as is."""
    value = {"accountType": kind, "fullName": name}
    value["personalID" if kind == "citizen" else "taxCode"] = identifier
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def ms(seconds):
    """Epoch milliseconds, as every timestamp column holds them."""
    return None if seconds is None else seconds * 1000


def work_seconds(events, received, finished, calendar):
    """`DossierTimes.workingTimeToResult`: working time from reception to result, less supplement waits."""
    if received is None or finished is None or finished < received:
        return None
    total = calendar.working_time(received, finished)
    for index, (status, at) in enumerate(events):
        if status == 5:
            resumed = events[index + 1][1] if index + 1 < len(events) else finished
            start, end = max(at, received), min(resumed, finished)
            if end > start:
                total -= calendar.working_time(start, end)
    return int(round(max(total, 0)))


def step_gap(rng, previous, status, allowed):
    """Working seconds between two reported events: desk steps are quick, processing takes a share of the
    procedure's time, an applicant's supplement or payment takes days."""
    if previous == 1 or status in (2, 10):
        return rng.randint(1800, 16 * 3600)
    if previous in (5, 6):
        return rng.randint(4 * 3600, 80 * 3600)
    return rng.randint(1800, max(3600, int(allowed * rng.uniform(0.05, 0.35))))


def generate(db, shared, dossiers, accounts, hashes, work, seed=20250701):
    """Writes `dossiers` dossiers and `accounts` accounts (split evenly between the bcrypt hashes given, by cost)
    and the inputs of the load scripts under `work`; returns the counts and the account ids by cost."""
    rng = random.Random(seed)
    people = People(shared, rng)
    catalogue = Catalogue(db, rng)
    now = int(time.time())
    today = WorkingCalendar.day_of(now)
    holidays = os.path.join(shared, "vn-holidays", "holidays.csv")
    calendar = WorkingCalendar(holidays, today - HISTORY_DAYS - 10, today + 800)
    started = time.monotonic()

    # Accounts, as registration writes them.
    logins = {cost: [] for cost in hashes}
    costs = sorted(hashes)
    rows = []
    first_account = db.next_id("accounts")
    for n in range(accounts):
        p = people.person()
        cost = costs[n % len(costs)]
        email = f"{fold(p['name']).replace(' ', '')}.{n}@example.com"
        phone = rng.choice(("03", "05", "07", "08", "09")) + f"{rng.randrange(10**8):08d}"
        created = (now - rng.randrange(HISTORY_DAYS * DAY)) * 1000
        rows.append(
            (first_account + n, "citizen", email, p["id"], p["name"], hashes[cost], p["birth"], p["sex"], phone,
             p["commune"]["province_code"], p["commune"]["code"], created)
        )
        logins[cost].append((first_account + n, p["id"]))
    db.copy_rows(
        "accounts",
        ("id", "role", "email", "personal_id", "full_name", "password_hash", "birth_date", "sex", "phone",
         "province_code", "commune_code", "created_at"),
        rows,
    )
    db.execute(
        "INSERT INTO audit_log (at, account_id, event, detail) SELECT created_at, id, 'register', role FROM accounts "
        f"WHERE id >= {first_account} ORDER BY id"
    )
    db.add_counter("accounts", accounts)

    # Dossiers, in the order agencies received them, over the last HISTORY_DAYS days up to yesterday (so that
    # the portal's own code allocation for today, in the mixed workload, never meets a generated code).
    start = (today - HISTORY_DAYS) * DAY - OFFSET
    end = today * DAY - OFFSET - 1
    submitted_times = sorted(rng.randrange(start, end) for _ in range(dossiers))
    path_list = [p for p, _ in PATHS]
    path_weights = [w for _, w in PATHS]
    yymmdd = {}
    sequences = {}
    codes = []
    first_dossier = db.next_id("dossiers")
    event_counter = 0
    processed = 0
    batch_d, batch_e, batch_s = [], [], []
    for i, submitted in enumerate(submitted_times):
        dossier_id = first_dossier + i
        procedure, agency = catalogue.pick(rng)
        channel = rng.choices((1, 2, 3), (60, 35, 5))[0]
        if channel != 2:
            submitted = min(calendar.next_working_moment(submitted), end)
        day = WorkingCalendar.day_of(submitted)
        if day not in yymmdd:
            yymmdd[day] = (datetime.date(1970, 1, 1) + datetime.timedelta(days=day)).strftime("%y%m%d")
        key = (agency, day)
        sequences[key] = sequences.get(key, 0) + 1
        code = f"{agency}-{yymmdd[day]}-{sequences[key]:04d}"
        codes.append(code)
        if rng.random() < 0.9:
            applicant = applicant_json("citizen", people.name(rng.choice(("male", "female"))), people.person()["id"])
        else:
            applicant = applicant_json("business", people.business_name(), people.tax_code())
        allowed = catalogue.processing_days(procedure) * 8 * 3600
        path = rng.choices(path_list, path_weights)[0]
        events = [(path[0], submitted)]
        at = submitted
        for previous, status in zip(path, path[1:]):
            at = calendar.instant_after(at, step_gap(rng, previous, status, allowed))
            if at > now:
                break  # what has not happened yet: the dossier is still open at its last status
            events.append((status, at))
        received = next((at for s, at in events if s == 2), None)
        due = calendar.instant_after(received, allowed) if received is not None else None
        finished = next((at for s, at in events if s in (9, 10)), None)
        last_status, last_at = events[-1]
        processed += finished is not None
        batch_d.append(
            (dossier_id, secrets.token_hex(16), code, procedure["code"], agency, "sync", channel, last_status,
             applicant, "{}", submitted * 1000, ms(received), ms(due), ms(finished), len(events),
             submitted * 1000, last_at * 1000,
             last_at * 1000 if last_status == 5 else None, int(any(s == 5 for s, _ in events)),
             work_seconds(events, received, finished, calendar))
        )
        for status, at in events:
            note = rng.choice(NOTES[status]) if status in NOTES else None
            batch_e.append((dossier_id, status, at * 1000, "agency_system", note, "agency_sync", 1))
            event_counter += 1
            batch_s.append((agency, f"{event_counter:012d}", dossier_id, "applied"))
        if len(batch_d) >= 20000 or i == dossiers - 1:
            write_dossier_batch(db, batch_d, batch_e, batch_s)
            batch_d, batch_e, batch_s = [], [], []
    db.add_counter("status_syncs", event_counter)
    db.add_counter("dossiers_processed", processed)
    db.finish_bulk_load()

    # Inputs of the load scripts: public dossier codes, synthetic applicants for sync payloads, logins.
    rng.shuffle(codes)
    write_lines(os.path.join(work, "codes.txt"), codes[:100_000])
    write_lines(
        os.path.join(work, "applicants.txt"),
        (f"{p['id']}\t{p['name']}" for p in (people.person() for _ in range(2000))),
    )
    write_lines(os.path.join(work, "procedures.txt"), (p["code"] for p in catalogue.procedures))
    write_lines(
        os.path.join(work, "submissions.txt"), (f"{c}\t{a}\t{s}" for c, a, s in catalogue.submission_targets())
    )
    for cost, entries in logins.items():
        write_lines(os.path.join(work, f"logins-{cost}.txt"), (pid for _, pid in entries))
    return {
        "dossiers": dossiers,
        "events": event_counter,
        "events_per_dossier": round(event_counter / max(dossiers, 1), 2),
        "processed": processed,
        "accounts": accounts,
        "seconds": round(time.monotonic() - started, 1),
        "account_ids": {cost: [i for i, _ in entries] for cost, entries in logins.items()},
    }


def write_dossier_batch(db, dossiers, events, sync_events):
    db.copy_rows(
        "dossiers",
        ("id", "ref", "code", "procedure_code", "agency_code", "origin", "channel", "status", "applicant", "form",
         "submitted_at", "received_at", "due_at", "finished_at", "version", "created_at", "updated_at",
         "paused_at", "supplemented", "work_seconds"),
        dossiers,
    )
    db.copy_rows(
        "dossier_events", ("dossier_id", "status", "at", "actor", "note", "source", "applied"), events
    )
    db.copy_rows("sync_events", ("agency_code", "event_id", "dossier_id", "outcome"), sync_events)
    db.commit()


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
