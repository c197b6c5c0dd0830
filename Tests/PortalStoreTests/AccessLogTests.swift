import Foundation
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct AccessLogTests {
    @Test(arguments: TestEngine.available)
    func theChainVerifiesAndAnyEditOrDeletionIsFound(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let log = AccessLog(database: database)
            #expect(try await log.verify() == .intact(records: 0))
            // Concurrent writers still make one unbroken chain.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await log.record(
                            action: "view", reason: "test \(index)", dossierID: nil, accountID: nil, actorRole: "admin")
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await log.verify() == .intact(records: 20))

            let original = try #require(
                try await database.sql.raw("SELECT reason FROM access_log WHERE seq = 7").first()?
                    .decode(column: "reason", as: String.self))
            try await database.sql.raw("UPDATE access_log SET reason = 'changed' WHERE seq = 7").run()
            #expect(try await log.verify() == .broken(atSeq: 7, reason: "record altered"))
            try await database.sql.raw("UPDATE access_log SET reason = \(bind: original) WHERE seq = 7").run()
            #expect(try await log.verify() == .intact(records: 20))

            try await database.sql.raw("DELETE FROM access_log WHERE seq = 12").run()
            #expect(try await log.verify() == .broken(atSeq: 12, reason: "record missing"))
            try await database.sql.raw("DELETE FROM access_log WHERE seq >= 12").run()
            #expect(try await log.verify() == .broken(atSeq: 12, reason: "records after the last one are missing"))
        }
    }
}
