/// The portal's schema history, oldest first. Each migration has one concern.
enum Migrations {
    static let all: [Migration] = [
        catalogue, jobs, accounts, counters, administrativeUnits, holidays, signIn, dossiers, twoFactor, passwordResets,
        inactivity, agencySync, statistics, webhooks, payments, hotlines, homeSupport, feedback,
    ]

    static let catalogue = Migration(version: 1, name: "catalogue") { _ in
        [
            """
            CREATE TABLE provinces (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                full_name TEXT NOT NULL,
                type TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE agencies (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                name_en TEXT,
                level TEXT NOT NULL,
                parent_code TEXT REFERENCES agencies (code),
                province_code TEXT REFERENCES provinces (code),
                short_code TEXT,
                status TEXT NOT NULL DEFAULT 'current'
            )
            """,
            """
            CREATE TABLE procedure_groups (
                slug TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                name_en TEXT NOT NULL,
                description TEXT NOT NULL,
                description_en TEXT NOT NULL,
                position INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE procedures (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                name_en TEXT,
                group_slug TEXT REFERENCES procedure_groups (slug),
                field TEXT NOT NULL,
                ministry_code TEXT,
                online_level TEXT NOT NULL,
                levels TEXT NOT NULL,
                audiences TEXT NOT NULL,
                agency_codes TEXT NOT NULL,
                popular SMALLINT NOT NULL DEFAULT 0,
                search_text TEXT NOT NULL,
                body_text TEXT NOT NULL,
                record TEXT NOT NULL,
                source TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX procedures_group ON procedures (group_slug)",
            "CREATE INDEX procedures_field ON procedures (field)",
            "CREATE INDEX agencies_short_code ON agencies (short_code)",
        ]
    }

    static let jobs = Migration(version: 2, name: "jobs") { dialect in
        [
            """
            CREATE TABLE jobs (
                id \(dialect.autoIncrementPrimaryKey),
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                run_at BIGINT NOT NULL,
                locked_by TEXT,
                locked_until BIGINT,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                finished_at BIGINT
            )
            """,
            "CREATE INDEX jobs_ready ON jobs (state, run_at)",
        ]
    }

    static let accounts = Migration(version: 3, name: "accounts") { dialect in
        [
            """
            CREATE TABLE accounts (
                id \(dialect.autoIncrementPrimaryKey),
                role TEXT NOT NULL,
                email TEXT UNIQUE,
                personal_id TEXT UNIQUE,
                tax_code TEXT UNIQUE,
                full_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                agency_code TEXT REFERENCES agencies (code),
                locked SMALLINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                last_login_at BIGINT
            )
            """
        ]
    }

    static let counters = Migration(version: 4, name: "portal counters") { _ in
        [
            """
            CREATE TABLE portal_counters (
                name TEXT PRIMARY KEY,
                value BIGINT NOT NULL
            )
            """
        ]
    }

    static let administrativeUnits = Migration(version: 5, name: "administrative units") { _ in
        [
            """
            CREATE TABLE communes (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                province_code TEXT NOT NULL REFERENCES provinces (code)
            )
            """,
            "CREATE INDEX communes_province ON communes (province_code)",
            """
            CREATE TABLE legacy_provinces (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE legacy_districts (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                province_code TEXT NOT NULL REFERENCES legacy_provinces (code)
            )
            """,
            """
            CREATE TABLE legacy_wards (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                district_code TEXT REFERENCES legacy_districts (code),
                province_code TEXT NOT NULL REFERENCES legacy_provinces (code)
            )
            """,
            // Old codes are not all in legacy_wards (a few wards were merged earlier in 2025), so only the new side
            // is a foreign key.
            """
            CREATE TABLE ward_mappings (
                old_ward_code TEXT NOT NULL,
                old_ward_name TEXT NOT NULL,
                old_province_code TEXT NOT NULL,
                new_commune_code TEXT NOT NULL REFERENCES communes (code),
                merge_type TEXT NOT NULL,
                PRIMARY KEY (old_ward_code, new_commune_code)
            )
            """,
            "CREATE INDEX ward_mappings_new ON ward_mappings (new_commune_code)",
        ]
    }

    static let holidays = Migration(version: 6, name: "holidays") { _ in
        [
            """
            CREATE TABLE holidays (
                date TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                name_vi TEXT NOT NULL,
                name_en TEXT NOT NULL,
                status TEXT NOT NULL
            )
            """
        ]
    }

    static let signIn = Migration(version: 7, name: "sign-in") { dialect in
        [
            "ALTER TABLE accounts ADD COLUMN birth_date TEXT",
            "ALTER TABLE accounts ADD COLUMN sex TEXT",
            "ALTER TABLE accounts ADD COLUMN phone TEXT",
            "ALTER TABLE accounts ADD COLUMN province_code TEXT",
            "ALTER TABLE accounts ADD COLUMN commune_code TEXT",
            // Only a hash of the session token is stored: a copy of the table does not let anyone sign in.
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id),
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_account ON sessions (account_id)",
            """
            CREATE TABLE login_throttle (
                throttle_key TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                locked_until BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE audit_log (
                id \(dialect.autoIncrementPrimaryKey),
                at BIGINT NOT NULL,
                account_id BIGINT,
                event TEXT NOT NULL,
                detail TEXT NOT NULL
            )
            """,
        ]
    }

    static let dossiers = Migration(version: 8, name: "dossiers") { dialect in
        [
            // `ref` is the random identifier in URLs, so that dossier pages cannot be enumerated; `code` is the
            // official dossier code, allocated at submission. `version` guards officers' concurrent actions.
            // A dossier reported by an agency's one-stop system (`origin` = 'sync') has no portal applicant.
            """
            CREATE TABLE dossiers (
                id \(dialect.autoIncrementPrimaryKey),
                ref TEXT NOT NULL UNIQUE,
                code TEXT UNIQUE,
                procedure_code TEXT NOT NULL REFERENCES procedures (code),
                agency_code TEXT NOT NULL REFERENCES agencies (code),
                applicant_id BIGINT REFERENCES accounts (id),
                origin TEXT NOT NULL DEFAULT 'portal',
                channel INTEGER NOT NULL DEFAULT 2,
                status INTEGER,
                applicant TEXT NOT NULL,
                form TEXT NOT NULL,
                clock TEXT,
                submitted_at BIGINT,
                received_at BIGINT,
                due_at BIGINT,
                finished_at BIGINT,
                rating INTEGER,
                rating_comment TEXT,
                version INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX dossiers_applicant ON dossiers (applicant_id, updated_at)",
            "CREATE INDEX dossiers_agency ON dossiers (agency_code, status, due_at)",
            """
            CREATE TABLE dossier_events (
                id \(dialect.autoIncrementPrimaryKey),
                dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
                status INTEGER NOT NULL,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                actor_account_id BIGINT,
                note TEXT,
                source TEXT NOT NULL,
                applied SMALLINT NOT NULL DEFAULT 1
            )
            """,
            "CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, at, id)",
            """
            CREATE TABLE dossier_files (
                id \(dialect.autoIncrementPrimaryKey),
                dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
                purpose TEXT NOT NULL,
                slot INTEGER NOT NULL,
                name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size BIGINT NOT NULL,
                kind TEXT NOT NULL,
                uploaded_by BIGINT NOT NULL REFERENCES accounts (id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX dossier_files_dossier ON dossier_files (dossier_id)",
            "CREATE INDEX dossier_files_sha256 ON dossier_files (sha256)",
            """
            CREATE TABLE dossier_code_sequences (
                agency_code TEXT NOT NULL,
                day TEXT NOT NULL,
                last_sequence INTEGER NOT NULL,
                PRIMARY KEY (agency_code, day)
            )
            """,
            """
            CREATE TABLE procedure_forms (
                procedure_code TEXT PRIMARY KEY REFERENCES procedures (code),
                schema TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE notifications (
                id \(dialect.autoIncrementPrimaryKey),
                account_id BIGINT NOT NULL REFERENCES accounts (id),
                dossier_id BIGINT REFERENCES dossiers (id),
                message_vi TEXT NOT NULL,
                message_en TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                read_at BIGINT
            )
            """,
            "CREATE INDEX notifications_account ON notifications (account_id, id)",
            """
            CREATE TABLE outbox (
                id \(dialect.autoIncrementPrimaryKey),
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                sent_at BIGINT
            )
            """,
            // Every read of a dossier's personal data and every change, chained by hash: each record's hash covers
            // the previous one's, and the head row serialises writers so the chain never forks.
            """
            CREATE TABLE access_log (
                seq BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                account_id BIGINT,
                actor_role TEXT NOT NULL,
                dossier_id BIGINT REFERENCES dossiers (id),
                action TEXT NOT NULL,
                reason TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX access_log_dossier ON access_log (dossier_id, seq)",
            """
            CREATE TABLE access_log_head (
                id INTEGER PRIMARY KEY,
                last_seq BIGINT NOT NULL,
                last_hash TEXT NOT NULL
            )
            """,
            "INSERT INTO access_log_head (id, last_seq, last_hash) VALUES (1, 0, '')",
        ]
    }

    static let twoFactor = Migration(version: 9, name: "two-factor") { _ in
        [
            // The TOTP secret is needed in clear to check codes; recovery codes are stored as SHA-256 hashes only.
            "ALTER TABLE accounts ADD COLUMN totp_secret TEXT",
            "ALTER TABLE accounts ADD COLUMN totp_enabled SMALLINT NOT NULL DEFAULT 0",
            "ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT",
            "ALTER TABLE accounts ADD COLUMN recovery_codes TEXT",
            "ALTER TABLE sessions ADD COLUMN second_factor SMALLINT NOT NULL DEFAULT 0",
        ]
    }

    static let passwordResets = Migration(version: 10, name: "password resets") { _ in
        [
            // Only a hash of the token is kept, as for sessions.
            """
            CREATE TABLE password_resets (
                token_hash TEXT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id),
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT
            )
            """,
            "CREATE INDEX password_resets_account ON password_resets (account_id)",
        ]
    }

    static let inactivity = Migration(version: 11, name: "inactivity") { _ in
        [
            "ALTER TABLE accounts ADD COLUMN inactivity_warned_at BIGINT",
            "ALTER TABLE accounts ADD COLUMN locked_reason TEXT",
        ]
    }

    static let agencySync = Migration(version: 12, name: "agency sync") { dialect in
        [
            // Tokens are stored as SHA-256 hashes; names are unique so that the legacy login can use them.
            """
            CREATE TABLE agency_clients (
                id \(dialect.autoIncrementPrimaryKey),
                agency_code TEXT NOT NULL REFERENCES agencies (code),
                name TEXT NOT NULL UNIQUE,
                token_hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT,
                inbox_cursor BIGINT NOT NULL DEFAULT 0
            )
            """,
            // One row per event an agency reported, so that a repeated event is recognised whatever its order.
            """
            CREATE TABLE sync_events (
                agency_code TEXT NOT NULL,
                event_id TEXT NOT NULL,
                dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
                outcome TEXT NOT NULL,
                PRIMARY KEY (agency_code, event_id)
            )
            """,
            // Sessions of the legacy national-portal connector, which logs in with the client's name and token.
            """
            CREATE TABLE legacy_sessions (
                token_hash TEXT PRIMARY KEY,
                client_id BIGINT NOT NULL REFERENCES agency_clients (id),
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE idempotency_keys (
                client_id BIGINT NOT NULL REFERENCES agency_clients (id),
                idempotency_key TEXT NOT NULL,
                body_hash TEXT NOT NULL,
                response TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (client_id, idempotency_key)
            )
            """,
        ]
    }

    static let statistics = Migration(version: 13, name: "statistics") { _ in
        [
            // Kept by every change to a dossier, so that the statistics are one aggregate query over its own row.
            "ALTER TABLE dossiers ADD COLUMN paused_at BIGINT",
            "ALTER TABLE dossiers ADD COLUMN supplemented SMALLINT NOT NULL DEFAULT 0",
            "ALTER TABLE dossiers ADD COLUMN work_seconds BIGINT",
            "ALTER TABLE agency_clients ADD COLUMN last_sync_at BIGINT",
            "CREATE INDEX dossiers_received ON dossiers (received_at)",
            """
            UPDATE dossiers SET supplemented = 1 WHERE id IN
            (SELECT dossier_id FROM dossier_events WHERE status = 5 AND applied = 1)
            """,
            """
            UPDATE dossiers SET paused_at =
            (SELECT MAX(at) FROM dossier_events e WHERE e.dossier_id = dossiers.id AND e.status = 5 AND e.applied = 1)
            WHERE status = 5
            """,
            """
            INSERT INTO portal_counters (name, value)
            SELECT 'dossiers_processed', COUNT(*) FROM dossiers WHERE finished_at IS NOT NULL
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """,
            // Written by the periodic refresh: per agency, procedure and local day of reception (days since
            // 1970-01-01 in Asia/Ho_Chi_Minh), where each dossier stands as of `refreshed_at`.
            """
            CREATE TABLE stats_daily (
                agency_code TEXT NOT NULL,
                procedure_code TEXT NOT NULL,
                day INTEGER NOT NULL,
                received BIGINT NOT NULL,
                online BIGINT NOT NULL,
                supplemented BIGINT NOT NULL,
                finished_early BIGINT NOT NULL,
                finished_on_time BIGINT NOT NULL,
                finished_late BIGINT NOT NULL,
                closed_without_result BIGINT NOT NULL,
                open_within_deadline BIGINT NOT NULL,
                open_past_deadline BIGINT NOT NULL,
                work_seconds BIGINT NOT NULL,
                work_count BIGINT NOT NULL,
                rating_sum BIGINT NOT NULL,
                rating_count BIGINT NOT NULL,
                PRIMARY KEY (agency_code, procedure_code, day)
            )
            """,
            "CREATE INDEX stats_daily_day ON stats_daily (day)",
            "CREATE TABLE stats_status (status INTEGER PRIMARY KEY, count BIGINT NOT NULL)",
            """
            CREATE TABLE stats_services (
                field TEXT NOT NULL,
                online_level TEXT NOT NULL,
                count BIGINT NOT NULL,
                PRIMARY KEY (field, online_level)
            )
            """,
            "CREATE TABLE stats_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            "INSERT INTO stats_meta (name, value) VALUES ('refreshed_at', 0)",
        ]
    }

    static let webhooks = Migration(version: 14, name: "webhooks") { dialect in
        [
            // The secret signs every delivery, so it is kept as given (it is shown to the agency once).
            """
            CREATE TABLE webhooks (
                id \(dialect.autoIncrementPrimaryKey),
                agency_code TEXT NOT NULL REFERENCES agencies (code),
                client_id BIGINT REFERENCES agency_clients (id),
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                events TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                disabled_at BIGINT
            )
            """,
            "CREATE INDEX webhooks_agency ON webhooks (agency_code)",
            """
            CREATE TABLE webhook_deliveries (
                id \(dialect.autoIncrementPrimaryKey),
                uid TEXT NOT NULL UNIQUE,
                webhook_id BIGINT NOT NULL REFERENCES webhooks (id),
                event TEXT NOT NULL,
                dossier_code TEXT,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_status INTEGER,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                delivered_at BIGINT
            )
            """,
            "CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at)",
            """
            CREATE TABLE webhook_attempts (
                id \(dialect.autoIncrementPrimaryKey),
                delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
                at BIGINT NOT NULL,
                status INTEGER,
                error TEXT,
                duration_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id)",
        ]
    }

    static let payments = Migration(version: 15, name: "payments") { dialect in
        [
            // What an applicant owes for a dossier (an officer's payment request); paid at most once.
            """
            CREATE TABLE payment_obligations (
                id \(dialect.autoIncrementPrimaryKey),
                dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
                agency_code TEXT NOT NULL,
                amount BIGINT NOT NULL,
                description TEXT NOT NULL,
                state TEXT NOT NULL,
                payment_id BIGINT,
                created_at BIGINT NOT NULL,
                paid_at BIGINT
            )
            """,
            "CREATE INDEX payment_obligations_dossier ON payment_obligations (dossier_id)",
            // One row per attempt at the gateway; `order_id` is the reference the gateway echoes back.
            """
            CREATE TABLE payments (
                id \(dialect.autoIncrementPrimaryKey),
                order_id TEXT NOT NULL UNIQUE,
                obligation_id BIGINT NOT NULL REFERENCES payment_obligations (id),
                agency_code TEXT NOT NULL,
                amount BIGINT NOT NULL,
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                transaction_no TEXT,
                bank_code TEXT,
                response_code TEXT,
                confirmed_at BIGINT
            )
            """,
            "CREATE INDEX payments_obligation ON payments (obligation_id)",
            "CREATE INDEX payments_agency_confirmed ON payments (agency_code, confirmed_at)",
            // Never two successful charges for one obligation, whatever the code above does.
            "CREATE UNIQUE INDEX payments_one_success ON payments (obligation_id) WHERE state = 'paid'",
        ]
    }

    static let hotlines = Migration(version: 16, name: "hotlines") { dialect in
        [
            // A support line for the whole portal (no agency, no province), a locality, or an agency.
            """
            CREATE TABLE hotlines (
                id \(dialect.autoIncrementPrimaryKey),
                agency_code TEXT REFERENCES agencies (code),
                province_code TEXT REFERENCES provinces (code),
                commune_code TEXT,
                name TEXT NOT NULL,
                phones TEXT NOT NULL,
                hours TEXT NOT NULL,
                email TEXT,
                address TEXT,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX hotlines_province ON hotlines (province_code, commune_code)",
            "CREATE INDEX hotlines_agency ON hotlines (agency_code)",
        ]
    }

    static let homeSupport = Migration(version: 17, name: "home support") { dialect in
        [
            // `ref` is the requester's unguessable link to follow the request.
            """
            CREATE TABLE home_support_requests (
                id \(dialect.autoIncrementPrimaryKey),
                ref TEXT NOT NULL UNIQUE,
                account_id BIGINT REFERENCES accounts (id),
                requester_name TEXT NOT NULL,
                requester_phone TEXT NOT NULL,
                requester_email TEXT,
                on_behalf_of TEXT,
                province_code TEXT NOT NULL REFERENCES provinces (code),
                address TEXT NOT NULL,
                procedure_code TEXT REFERENCES procedures (code),
                reason TEXT NOT NULL,
                urgency TEXT NOT NULL,
                state TEXT NOT NULL,
                visit_date TEXT,
                visit_window TEXT,
                staff TEXT,
                outcome TEXT,
                dossier_id BIGINT REFERENCES dossiers (id),
                handled_by BIGINT REFERENCES accounts (id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX home_support_province ON home_support_requests (province_code, state, created_at)",
        ]
    }

    static let feedback = Migration(version: 18, name: "feedback") { dialect in
        [
            // `ref` is the sender's unguessable link; `agency_code` NULL is the portal's own desk. The published_*
            // columns hold the texts without personal data, `published_search` their folded words.
            """
            CREATE TABLE feedback (
                id \(dialect.autoIncrementPrimaryKey),
                ref TEXT NOT NULL UNIQUE,
                account_id BIGINT REFERENCES accounts (id),
                sender_name TEXT NOT NULL,
                sender_phone TEXT,
                sender_email TEXT,
                topic TEXT NOT NULL,
                procedure_code TEXT REFERENCES procedures (code),
                agency_code TEXT REFERENCES agencies (code),
                dossier_id BIGINT REFERENCES dossiers (id),
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                state TEXT NOT NULL,
                answer TEXT,
                answered_by BIGINT REFERENCES accounts (id),
                answered_at BIGINT,
                published_title TEXT,
                published_question TEXT,
                published_answer TEXT,
                published_search TEXT,
                published_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX feedback_desk ON feedback (agency_code, state, created_at)",
            "CREATE INDEX feedback_published ON feedback (published_at)",
        ]
    }
}
