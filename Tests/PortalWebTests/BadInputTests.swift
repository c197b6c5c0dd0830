import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import PortalWeb
import SQLKit
import Testing

/// Input that is not what it claims to be is refused with the field named and nothing written: a JSON body not
/// declared as JSON, `true` where a number belongs, form text that is not UTF-8.
@Suite struct BadInputTests {
    static func count(_ url: DatabaseURL, _ table: String) async throws -> Int {
        let database = try await Database.open(url, logger: TestDatabases.quietLogger)
        let count =
            try await database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(
                column: "n", as: Int.self) ?? 0
        await database.shutdown()
        return count
    }

    static func error(_ response: TestResponse) -> [String: Any]? {
        let json = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        return json?["error"] as? [String: Any]
    }

    @Test(arguments: TestEngine.available)
    func jsonThatIsNotDeclaredOrNotANumberIsRefused(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await SyncTests.token(url)
            let item = SyncTests.item(
                code: "000.00.61.H29-250701-0001", status: 2, eventID: "e-1", at: "2025-07-01T08:00:00+07:00")
            let body = try JSONSerialization.data(withJSONObject: ["items": [item]])
            for type in ["text/plain", "application/x-www-form-urlencoded", "application/xml"] {
                try await client.execute(
                    uri: "/api/v1/sync/dossiers", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: type], body: ByteBuffer(bytes: body)
                ) { response in
                    #expect(response.status == .unsupportedMediaType, "\(type)")
                    #expect(Self.error(response)?["field"] as? String == "Content-Type")
                }
            }
            try await client.execute(
                uri: "/api/v1/sync/inbox/ack", method: .post, headers: [.authorization: "Bearer \(token)"],
                body: ByteBuffer(string: "{\"cursor\":1}")
            ) { #expect($0.status == .unsupportedMediaType) }
            try await client.execute(
                uri: "/api/v1/sync/webhooks", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/plain"],
                body: ByteBuffer(string: "{\"url\":\"http://127.0.0.1:9/\",\"events\":[\"dossier.submitted\"]}")
            ) { #expect($0.status == .unsupportedMediaType) }
            #expect(try await Self.count(url, "dossiers") == 0)
            #expect(try await Self.count(url, "webhooks") == 0)

            // JSON `true` is not the number 1.
            var status = item
            status["status"] = true
            var applicant = item
            applicant["applicant"] = ["type": true, "id": "001090001234", "name": "Nguyễn Văn An"]
            let (code, answer, _) = try await SyncTests.post(client, token: token, items: [status, applicant])
            #expect(code == .ok)
            let results = answer["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["outcome"] as? String } == ["rejected", "rejected"])
            #expect(
                results.map { ($0["error"] as? [String: Any])?["field"] as? String } == ["status", "applicant.type"])
            try await client.execute(
                uri: "/api/v1/sync/inbox/ack", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: "{\"cursor\":true}")
            ) { response in
                #expect(response.status == .badRequest && Self.error(response)?["field"] as? String == "cursor")
            }
            #expect(try await Self.count(url, "dossiers") == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func formTextThatIsNotUTF8IsRefusedNamingTheField(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
            let fields = AccountFlowTests.citizen.filter { $0.0 != "full_name" } + [("csrf_token", token)]
            let good = AccountFlowTests.body(fields)
            // Percent-encoded bytes that are not UTF-8.
            try await client.execute(
                uri: "/dang-ky", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
                body: ByteBuffer(string: String(buffer: good) + "&full_name=%FF%FE")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("UTF-8") && response.text.contains("<code>full_name</code>"))
            }
            // Raw bytes that are not UTF-8.
            var raw = good
            raw.writeBytes(Array("&full_name=".utf8) + [0xFF, 0xFE])
            try await client.execute(
                uri: "/dang-ky", method: .post, headers: AccountFlowTests.form + [.cookie: cookie], body: raw
            ) { #expect($0.status == .badRequest && $0.text.contains("<code>full_name</code>")) }
            #expect(try await Self.count(url, "accounts") == 0)
        }
    }
}
