import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalCore
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct SyncTests {
    static let agency = "000.00.61.H29"

    /// A client token for the agency, made directly in the test database.
    static func token(_ url: DatabaseURL, agency: String = agency, name: String = "mot-cua-ha-noi") async throws
        -> String
    {
        let database = try await Database.open(url, logger: TestDatabases.quietLogger)
        let (_, token) = try await AgencyClients(database: database).add(agencyCode: agency, name: name)
        await database.shutdown()
        return token
    }

    static func item(
        code: String, status: Int, eventID: String, at: String, agency: String = agency, procedure: String = "1.001193"
    ) -> [String: Any] {
        [
            "dossier_code": code, "procedure_code": procedure, "agency": agency,
            "applicant": ["type": 1, "id": "001090001234", "name": "Nguyễn Văn An"], "channel": 1,
            "received_at": "2025-07-01T08:00:00+07:00", "due_at": "2025-07-10T17:00:00+07:00", "status": status,
            "event_id": eventID, "event_at": at, "note": "Bước \(status)",
        ]
    }

    static func post(
        _ client: any TestClientProtocol, token: String?, items: [Any], key: String? = nil
    ) async throws -> (HTTPResponse.Status, [String: Any], String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        let body = try JSONSerialization.data(withJSONObject: ["items": items], options: [.sortedKeys])
        return try await client.execute(
            uri: "/api/v1/sync/dossiers", method: .post, headers: headers, body: ByteBuffer(bytes: body)
        ) { response in
            let json =
                (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            return (response.status, json ?? [:], response.text)
        }
    }

    /// Three dossiers' histories; the second goes through a supplement request.
    static var stream: [[String: Any]] {
        var items: [[String: Any]] = []
        let paths = [[1, 2, 4, 9, 10], [2, 5, 4, 9, 10], [1, 2, 4, 8]]
        for (number, path) in paths.enumerated() {
            for (step, status) in path.enumerated() {
                items.append(
                    item(
                        code: "\(agency)-250701-000\(number + 1)", status: status, eventID: "e\(number)-\(step)",
                        at: String(format: "2025-07-0%dT%02d:00:00+07:00", step + 1, 8 + number)))
            }
        }
        return items
    }

    /// What the portal shows of the dossiers after a delivery and the sync counter, then the columns statistics
    /// read.
    static func state(_ client: any TestClientProtocol, url: DatabaseURL) async throws -> (
        shown: [String], columns: [String]
    ) {
        var lines: [String] = []
        for number in 1...3 {
            let code = "\(agency)-250701-000\(number)"
            try await client.execute(uri: "/api/v1/dossiers/\(code)/status", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                let status = (json["status"] as? [String: Any])?["code"] as? Int ?? 0
                let timeline = (json["timeline"] as? [[String: Any]] ?? []).map {
                    "\($0["status"] ?? ""):\($0["at"] ?? "")"
                }
                lines.append("\(code) \(status) \(timeline.joined(separator: ","))")
                #expect(!response.text.contains("Nguyễn"), "no personal data in the public lookup")
            }
        }
        let database = try await Database.open(url, logger: TestDatabases.quietLogger)
        let counters = try await CounterStore(database: database).values()
        lines.append("status_syncs \(counters[.statusSyncs] ?? 0)")
        var columns: [String] = []
        for row in try await database.sql.raw(
            """
            SELECT code, status, received_at, due_at, submitted_at, finished_at, paused_at, supplemented, \
            work_seconds FROM dossiers ORDER BY code
            """
        ).all() {
            let dates = try ["status", "received_at", "due_at", "submitted_at", "finished_at", "paused_at"].map {
                try row.decode(column: $0, as: Int64?.self).map(String.init) ?? "-"
            }
            columns.append(
                try "\(row.decode(column: "code", as: String.self)) \(dates.joined(separator: " ")) "
                    + "\(row.decode(column: "supplemented", as: Int.self)) "
                    + "\(row.decode(column: "work_seconds", as: Int64?.self).map(String.init) ?? "-")")
        }
        await database.shutdown()
        return (lines, columns)
    }

    @Test(arguments: TestEngine.available)
    func theSameStreamInOrderShuffledAndRepeatedConvergesToTheSameState(engine: TestEngine) async throws {
        let inOrder = try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await Self.token(url)
            for batch in stride(from: 0, to: Self.stream.count, by: 4) {
                let (status, json, _) = try await Self.post(
                    client, token: token, items: Array(Self.stream[batch..<min(batch + 4, Self.stream.count)]))
                #expect(status == .ok)
                #expect(json["rejected"] as? Int == 0)
            }
            return try await Self.state(client, url: url)
        }
        let shuffled = try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await Self.token(url)
            var generator = SeededGenerator(seed: 7)
            let deliveries = (Self.stream + Self.stream.shuffled(using: &generator)).shuffled(using: &generator)
            var outcomes: [String: Int] = [:]
            for batch in stride(from: 0, to: deliveries.count, by: 5) {
                let (status, json, _) = try await Self.post(
                    client, token: token, items: Array(deliveries[batch..<min(batch + 5, deliveries.count)]))
                #expect(status == .ok)
                for key in ["accepted", "duplicates", "stale", "rejected"] {
                    outcomes[key, default: 0] += json[key] as? Int ?? 0
                }
            }
            #expect(outcomes["duplicates"] == Self.stream.count, "every event was sent twice")
            #expect(outcomes["rejected"] == 0)
            #expect((outcomes["stale"] ?? 0) > 0, "some older events arrived after newer ones")
            return try await Self.state(client, url: url)
        }
        // The whole stream in one batch: every dossier is created as the batch leaves it, where in order each was
        // created by one batch and moved by the next.
        let oneBatch = try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await Self.token(url)
            let (status, json, _) = try await Self.post(client, token: token, items: Self.stream)
            #expect(status == .ok)
            #expect(json["accepted"] as? Int == Self.stream.count)
            return try await Self.state(client, url: url)
        }
        #expect(inOrder.shown == shuffled.shown)
        #expect(inOrder.shown == oneBatch.shown)
        #expect(inOrder.columns == oneBatch.columns)
        // The statistics columns too: a late older event counts as it would have in order (with this seed dossier 1's
        // result event comes after its hand-over, and finished_at and the working time must follow the result).
        #expect(inOrder.columns == shuffled.columns)
        #expect(inOrder.shown.first?.hasPrefix("\(Self.agency)-250701-0001 10 1:") == true)
        #expect(inOrder.shown.last == "status_syncs \(Self.stream.count)")
        // Dossier 1 finished with its working time; dossier 2 went through a supplement request.
        let first = inOrder.columns[0].split(separator: " "), second = inOrder.columns[1].split(separator: " ")
        #expect(inOrder.columns.count == 3)
        #expect(first.first == "\(Self.agency)-250701-0001" && first[1] == "10" && first.last != "-")
        #expect(second[second.count - 2] == "1")
    }

    @Test(arguments: TestEngine.available)
    func badItemsAreNamedAndTheRestApplyAndKeysAreIdempotent(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await Self.token(url)
            let other = try await Self.token(url, agency: "000.00.62.H29", name: "mot-cua-khac")
            let good = Self.item(
                code: "\(Self.agency)-250701-0100", status: 2, eventID: "g1", at: "2025-07-01T09:00:00+07:00")
            func broken(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
                var item = Self.item(
                    code: "\(Self.agency)-250701-0101", status: 2, eventID: UUID().uuidString,
                    at: "2025-07-01T09:00:00+07:00")
                change(&item)
                return item
            }
            let items: [Any] = [
                good,
                broken { $0["dossier_code"] = "HS-1" },
                broken { $0["status"] = 11 },
                broken { $0["event_at"] = "hôm qua" },
                broken { $0["applicant"] = ["type": 3, "id": "1", "name": "A"] },
                broken { $0["applicant"] = ["type": 1, "id": "1"] },
                broken { $0["procedure_code"] = "9.999999" },
                broken { $0["agency"] = "000.00.62.H29" },
                broken { $0.removeValue(forKey: "event_id") },
                broken { $0["channel"] = "online" },
                "not an object",
                broken { $0["status"] = true },
                broken { $0["status"] = "2" },
                broken { $0["status"] = 2.5 },
                broken { $0["note"] = 42 },
                broken { $0["applicant"] = NSNull() },
                broken { $0["applicant"] = ["type": 1, "id": 123, "name": "A"] },
            ]
            let (status, json, _) = try await Self.post(client, token: token, items: items)
            #expect(status == .ok)
            #expect(json["accepted"] as? Int == 1 && json["rejected"] as? Int == 16)
            let results = try #require(json["results"] as? [[String: Any]])
            let fields = results.map { ($0["error"] as? [String: Any])?["field"] as? String ?? "-" }
            #expect(
                fields == [
                    "-", "dossier_code", "status", "event_at", "applicant.type", "applicant.name", "procedure_code",
                    "agency", "event_id", "channel", "items", "status", "status", "status", "note", "applicant",
                    "applicant.id",
                ])
            #expect(results.map { $0["index"] as? Int ?? -1 } == Array(0..<17))

            // Another agency's token cannot touch this agency's dossier.
            let (_, cross, _) = try await Self.post(
                client, token: other,
                items: [
                    Self.item(
                        code: "\(Self.agency)-250701-0100", status: 4, eventID: "x1", at: "2025-07-02T09:00:00+07:00",
                        agency: "000.00.62.H29")
                ])
            #expect(
                ((cross["results"] as? [[String: Any]])?.first?["error"] as? [String: Any])?["field"] as? String
                    == "dossier_code")

            // Idempotency keys: the same body gets the same answer, another body a 409.
            let next = [
                Self.item(code: "\(Self.agency)-250701-0100", status: 4, eventID: "g2", at: "2025-07-02T09:00:00+07:00")
            ]
            let first = try await Self.post(client, token: token, items: next, key: "lan-gui-1")
            let again = try await Self.post(client, token: token, items: next, key: "lan-gui-1")
            #expect(first.0 == .ok && first.2 == again.2)
            #expect(first.1["accepted"] as? Int == 1)
            let changed = try await Self.post(client, token: token, items: [good], key: "lan-gui-1")
            #expect(changed.0 == .conflict)
            #expect(changed.2.contains("Idempotency-Key"))
            // Keys are compared as sent: `k%41` is not `kA`, and `%FF` is a key like any other.
            let encoded = [
                Self.item(code: "\(Self.agency)-250701-0101", status: 2, eventID: "g3", at: "2025-07-02T09:00:00+07:00")
            ]
            let percent = try await Self.post(client, token: token, items: encoded, key: "k%41")
            let plain = try await Self.post(client, token: token, items: encoded, key: "kA")
            #expect(percent.0 == .ok && percent.1["accepted"] as? Int == 1)
            #expect(plain.0 == .ok && plain.1["duplicates"] as? Int == 1, "\(plain.2)")
            #expect(try await Self.post(client, token: token, items: encoded, key: "%FF").0 == .ok)
            // Without a key, a repeat is recognised per event.
            #expect(try await Self.post(client, token: token, items: next).1["duplicates"] as? Int == 1)

            // No token, a wrong one, and a revoked one: 401.
            #expect(try await Self.post(client, token: nil, items: next).0 == .unauthorized)
            #expect(
                try await Self.post(client, token: String(repeating: "a", count: 64), items: next).0 == .unauthorized)
            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            let id = try #require(
                try await database.sql.raw("SELECT id FROM agency_clients WHERE name = 'mot-cua-khac'").first()?
                    .decode(column: "id", as: Int64.self))
            #expect(try await AgencyClients(database: database).revoke(id: id))
            await database.shutdown()
            #expect(try await Self.post(client, token: other, items: next).0 == .unauthorized)
            // A body that is not the contract.
            try await client.execute(
                uri: "/api/v1/sync/dossiers", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: "[1,2,3]")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("\"field\":\"items\""))
            }
            // JSON is UTF-8: a string with a byte that is not is refused whole, not patched over.
            var invalid = Array(#"{"items":[{"dossier_code":"x"#.utf8)
            invalid += [0xC3, 0x28] + Array(#""}]}"#.utf8)
            try await client.execute(
                uri: "/api/v1/sync/dossiers", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(bytes: invalid)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("\"field\":\"items\""))
            }
            // Bodies that are not JSON around an item that would apply: each refused whole, naming `items`, and
            // nothing written. The operation's own reader is the only one that judges them (the generated layer is
            // handed a stand-in), so it must refuse what Foundation's decoder refuses, and more.
            let applying = String(
                decoding: try JSONSerialization.data(
                    withJSONObject: Self.item(
                        code: "\(Self.agency)-250701-0190", status: 2, eventID: "not-json", at: "2025-07-01T08:00:00Z"),
                    options: [.sortedKeys]), as: UTF8.self)
            for body in [
                #"{"items":[\#(applying)]} x"#, #"{"items":[\#(applying)],}"#, #"{"items":[\#(applying),]}"#,
                #"{"items":[\#(applying)]"#, #"{'items':[\#(applying)]}"#, #"{"items":[\#(applying)],"x":"\q"}"#,
                #"{"items":[\#(applying)],"x":01}"#, #"{"items":[\#(applying)],"x":[1,]}"#,
                #"{"items":[\#(applying)],"x":tru}"#, #"{"items":[\#(applying)],"x":"a\#tb"}"#,
                #"{"items":[\#(applying)]}{}"#, "\u{FEFF}" + #"{"items":[\#(applying)]}"#,
            ] {
                try await client.execute(
                    uri: "/api/v1/sync/dossiers", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(response.text.contains("\"field\":\"items\""), "\(body)")
                }
            }
            try await client.execute(uri: "/api/v1/dossiers/\(Self.agency)-250701-0190/status", method: .get) {
                response in
                #expect(response.status == .notFound)
            }
            // The same item in a body that is JSON applies: the refusals above were for the body alone.
            let accepted = try await Self.post(
                client, token: token,
                items: [
                    Self.item(
                        code: "\(Self.agency)-250701-0191", status: 2, eventID: "json", at: "2025-07-01T08:00:00Z")
                ])
            #expect(accepted.0 == .ok && accepted.1["accepted"] as? Int == 1)
            let tooMany = Array(repeating: good, count: 1001)
            #expect(try await Self.post(client, token: token, items: tooMany).0 == .contentTooLarge)

            // A dossier reported by the agency's system is handled there: the portal's officer inbox leaves it out.
            let store = try await Database.open(url, logger: TestDatabases.quietLogger)
            let inbox = try await DossierStore(database: store).inbox(agencyCode: Self.agency, filter: .init())
            let synced = try await DossierStore(database: store).dossier(code: "\(Self.agency)-250701-0100")
            await store.shutdown()
            #expect(inbox.total == 0)
            #expect(synced?.origin == "sync" && synced?.applicantID == nil)

            // After the sync the public lookup shows the dossier and its timeline.
            try await client.execute(uri: "/api/v1/dossiers/\(Self.agency)-250701-0100/status", method: .get) {
                response in
                #expect(response.status == .ok)
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect((json["status"] as? [String: Any])?["code"] as? Int == 4)
                #expect((json["timeline"] as? [[String: Any]])?.compactMap { $0["status"] as? Int } == [2, 4])
            }
        }
    }
}

extension SyncTests {
    /// Batches are written as JSON text bound to one parameter: text that JSON must escape arrives as sent.
    @Test(arguments: TestEngine.available)
    func textThatJSONEscapesIsStoredAsSent(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await Self.token(url)
            let note = "Bổ sung \"bản sao\" C:\\hồ sơ\\ / dòng 1\ndòng 2\t\u{1}\u{1F}\u{7F} 😀 \u{2028} hết"
            let name = #"Trần "Bé" \ O'Neil"#
            var items: [[String: Any]] = []
            for (step, status) in [1, 2, 5].enumerated() {
                var item = Self.item(
                    code: "\(Self.agency)-250701-0200", status: status, eventID: "t\(step)",
                    at: "2025-07-0\(step + 1)T08:00:00+07:00")
                item["note"] = note
                item["applicant"] = ["type": 1, "id": "001090001234", "name": name]
                items.append(item)
            }
            let (status, json, _) = try await Self.post(client, token: token, items: items)
            #expect(status == .ok)
            #expect(json["accepted"] as? Int == 3)
            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            let notes = try await database.sql.raw(
                "SELECT note FROM dossier_events ORDER BY id"
            ).all().map { try $0.decode(column: "note", as: String?.self) }
            #expect(notes == [note, note, note])
            let row = try #require(
                try await database.sql.raw(
                    "SELECT applicant, supplemented FROM dossiers WHERE code = \(bind: "\(Self.agency)-250701-0200")"
                ).first())
            let applicant =
                try JSONSerialization.jsonObject(
                    with: Data(try row.decode(column: "applicant", as: String.self).utf8)) as? [String: Any]
            #expect(applicant?["fullName"] as? String == name)
            #expect(try row.decode(column: "supplemented", as: Int.self) == 1)
            await database.shutdown()
        }
    }

    @Test(arguments: TestEngine.available)
    func agenciesPullThePortalsDossiersForThemAndAcknowledge(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await Self.token(url)
            let other = try await Self.token(url, agency: "000.00.62.H29", name: "mot-cua-khac")
            // A citizen's dossier submitted on the portal to agency 61.
            let browser = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
            let ref = try await client.execute(
                uri: "/ho-so", method: .post, headers: browser.formHeaders,
                body: AccountFlowTests.body([
                    ("procedure_code", "1.001193"), ("agency_code", Self.agency), ("csrf_token", browser.token),
                ])
            ) { String(try #require($0.headers[.location]).dropFirst("/ho-so/".count)) }
            let (headers, body) = DossierFlowTests.multipart(
                [("csrf_token", browser.token), ("slot", "0")], file: ("to-khai.pdf", DossierFlowTests.pdf))
            try await client.execute(
                uri: "/ho-so/\(ref)/tep", method: .post, headers: browser.headers + headers, body: body
            ) {
                #expect($0.status == .seeOther)
            }
            for path in ["/ho-so/\(ref)/luu", "/ho-so/\(ref)/nop"] {
                try await client.execute(
                    uri: path, method: .post, headers: browser.formHeaders,
                    body: AccountFlowTests.body([("request_details", "Khai sinh"), ("csrf_token", browser.token)])
                ) { #expect($0.status == .seeOther) }
            }
            func pull(_ token: String, _ query: String = "") async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.execute(
                    uri: "/api/v1/sync/inbox" + query, method: .get, headers: [.authorization: "Bearer \(token)"]
                ) {
                    (
                        $0.status,
                        (try? JSONSerialization.jsonObject(with: Data($0.body.readableBytesView))) as? [String: Any]
                            ?? [:]
                    )
                }
            }
            let (status, first) = try await pull(token)
            #expect(status == .ok)
            let items = try #require(first["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect((items.first?["applicant"] as? [String: Any])?["name"] as? String == "Nguyễn Văn An")
            #expect((items.first?["files"] as? [[String: Any]])?.first?["name"] as? String == "to-khai.pdf")
            #expect((items.first?["form"] as? [String: Any])?["request_details"] as? String == "Khai sinh")
            let cursor = try #require(first["next_cursor"] as? Int)
            // Another agency sees none of it.
            #expect((try await pull(other).1["items"] as? [[String: Any]])?.isEmpty == true)
            // After the acknowledgement the inbox is empty; an explicit cursor reads again.
            try await client.execute(
                uri: "/api/v1/sync/inbox/ack", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: "{\"cursor\":\(cursor)}")
            ) {
                #expect($0.status == .ok)
                #expect($0.text == "{\"acknowledged\":\(cursor)}")
            }
            #expect((try await pull(token).1["items"] as? [[String: Any]])?.isEmpty == true)
            #expect((try await pull(token, "?after=0").1["items"] as? [[String: Any]])?.count == 1)
            #expect(try await pull(token, "?limit=0").0 == .badRequest)
            #expect(try await pull(token, "?after=-1").0 == .badRequest)
        }
    }
}

/// A small deterministic generator, so that a shuffled delivery is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
