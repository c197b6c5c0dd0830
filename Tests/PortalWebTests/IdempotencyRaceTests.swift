import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

/// Two requests racing with one Idempotency-Key: only one batch is ingested whatever the bodies, and the same body
/// gets the same answer.
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
            // The same body twice at once: applied once, and both get the same answer.
            async let first = SyncTests.post(client, token: token, items: batch(100), key: "same")
            async let second = SyncTests.post(client, token: token, items: batch(100), key: "same")
            let (one, other) = (try await first, try await second)
            #expect(one.0 == .ok && other.0 == .ok)
            #expect(one.2 == other.2)

            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            do {
                #expect(
                    try await database.sql.raw("SELECT COUNT(*) AS n FROM dossiers").first()?.decode(
                        column: "n", as: Int.self) == 11)
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
        }
    }
}
