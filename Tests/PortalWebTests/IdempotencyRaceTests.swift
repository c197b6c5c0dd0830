import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

/// Two requests racing with one Idempotency-Key: only one batch is ingested whatever the bodies, and a claim left
/// by a request that died is taken over later.
@Suite struct IdempotencyRaceTests {
    @Test(arguments: TestEngine.available)
    func requestsRacingWithOneKeyIngestOnce(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await SyncTests.token(url)
            func batch(_ serial: Int) -> [[String: Any]] {
                [
                    SyncTests.item(
                        code: String(format: "000.00.61.H29-250701-%04d", serial), status: 2, eventID: "e-\(serial)",
                        at: "2025-07-01T08:00:00+07:00")
                ]
            }
            // Different bodies under one key, ten rounds: one is applied, the other refused.
            for round in 0..<10 {
                let key = "race-\(round)"
                async let first = SyncTests.post(client, token: token, items: batch(round * 2 + 1), key: key)
                async let second = SyncTests.post(client, token: token, items: batch(round * 2 + 2), key: key)
                let statuses = [try await first.0, try await second.0]
                #expect(statuses.filter { $0 == .ok }.count == 1, "round \(round): \(statuses)")
                #expect(statuses.filter { $0 == .conflict }.count == 1, "round \(round): \(statuses)")
            }
            // The same body twice at once: applied once; the other replays the answer or is asked to retry.
            async let first = SyncTests.post(client, token: token, items: batch(100), key: "same")
            async let second = SyncTests.post(client, token: token, items: batch(100), key: "same")
            let statuses = [try await first.0, try await second.0]
            #expect(statuses.contains(.ok) && statuses.allSatisfy { $0 == .ok || $0 == .conflict })

            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            do {
                #expect(
                    try await database.sql.raw("SELECT COUNT(*) AS n FROM dossiers").first()?.decode(
                        column: "n", as: Int.self) == 11)
                // A claim whose request died is taken over after a minute, not before.
                let keys = IdempotencyKeys(database: database)
                let clientID = try #require(
                    try await database.sql.raw("SELECT id FROM agency_clients").first()?.decode(
                        column: "id", as: Int64.self))
                let start = Date()
                #expect(try await keys.claim(clientID: clientID, key: "died", bodyHash: "h", now: start) == .claimed)
                #expect(
                    try await keys.claim(clientID: clientID, key: "died", bodyHash: "h", now: start + 30) == .inProgress
                )
                #expect(
                    try await keys.claim(clientID: clientID, key: "died", bodyHash: "other", now: start + 30)
                        == .otherBody)
                #expect(
                    try await keys.claim(clientID: clientID, key: "died", bodyHash: "h", now: start + 61) == .claimed)
                try await keys.store(clientID: clientID, key: "died", response: "{}")
                #expect(
                    try await keys.claim(clientID: clientID, key: "died", bodyHash: "h", now: start + 62)
                        == .replay("{}"))
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
        }
    }
}
