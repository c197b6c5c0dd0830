import Foundation
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct AccountInactivityTests {
    @Test(arguments: TestEngine.available)
    func unusedAccountsAreWarnedMonthlyThenLockedAndAResetOpensThem(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            _ = try await DemoCatalogue.bundled().loadIfEmpty(into: CatalogueStore(database: database))
            let accounts = AccountStore(database: database)
            let now = Date()
            let day: TimeInterval = 86_400
            func citizen(_ id: String, _ email: String, lastSeenDaysAgo: Double) async throws -> Int64 {
                let account = try await accounts.register(
                    .init(
                        role: "citizen", personalID: id, taxCode: nil, fullName: "A", birthDate: "1990-01-01",
                        sex: "male", phone: "0912345678", email: email, provinceCode: "01", communeCode: nil,
                        passwordHash: "x"))
                try await database.sql.update("accounts")
                    .set("created_at", to: now.addingTimeInterval(-lastSeenDaysAgo * day).epochMilliseconds)
                    .where("id", .equal, account).run()
                return account
            }
            let active = try await citizen("001090000001", "a@example.vn", lastSeenDaysAgo: 100)
            let nearly = try await citizen("001090000002", "b@example.vn", lastSeenDaysAgo: 700)
            let gone = try await citizen("001090000003", "c@example.vn", lastSeenDaysAgo: 731)
            let later = try await citizen("001090000004", "d@example.vn", lastSeenDaysAgo: 650)
            let staff = try await accounts.createStaff(
                role: .admin, email: "admin@example.vn", fullName: "Q", passwordHash: "x", agencyCode: nil)
            try await database.sql.update("accounts")
                .set("created_at", to: now.addingTimeInterval(-1000 * day).epochMilliseconds)
                .where("id", .equal, staff).run()

            let inactivity = AccountInactivity(database: database)
            #expect(try await inactivity.run(now: now) == .init(warned: 1, locked: 1))
            // A week later nobody is warned again; a month later the next account enters its last two months and
            // the one warned first passes two years.
            #expect(try await inactivity.run(now: now.addingTimeInterval(7 * day)) == .init(warned: 0, locked: 0))
            #expect(try await inactivity.run(now: now.addingTimeInterval(31 * day)) == .init(warned: 1, locked: 1))
            func locked(_ id: Int64) async throws -> Bool {
                try await database.sql.raw("SELECT locked FROM accounts WHERE id = \(bind: id)").first()?
                    .decode(column: "locked", as: Int.self) == 1
            }
            #expect(try await !locked(active))
            #expect(try await locked(gone))
            #expect(try await locked(nearly), "700 days plus 31 is past two years")
            #expect(try await !locked(later))
            #expect(try await !locked(staff), "staff accounts are left to their administrators")

            // The owner unlocks through the reset flow.
            try await accounts.startPasswordReset(email: "c@example.vn") { "/dat-lai-mat-khau?token=\($0)" }
            let body = try #require(
                try await database.sql.raw("SELECT body FROM outbox WHERE recipient = 'c@example.vn' ORDER BY id DESC")
                    .first()?.decode(column: "body", as: String.self))
            let token = String(
                body[try #require(body.range(of: #"token=[0-9a-f]{32}"#, options: .regularExpression))]
                    .dropFirst("token=".count))
            #expect(try await accounts.completePasswordReset(token: token, newHash: "y") == gone)
            #expect(try await !locked(gone))
            // An expired link does not work.
            try await accounts.startPasswordReset(email: "a@example.vn", now: now.addingTimeInterval(-31 * 60)) {
                "/dat-lai-mat-khau?token=\($0)"
            }
            let expiredBody = try #require(
                try await database.sql.raw(
                    "SELECT body FROM outbox WHERE recipient = 'a@example.vn' AND subject LIKE '%đặt lại%'"
                )
                .first()?.decode(column: "body", as: String.self))
            let expired = String(
                expiredBody[try #require(expiredBody.range(of: #"token=[0-9a-f]{32}"#, options: .regularExpression))]
                    .dropFirst("token=".count))
            #expect(try await !accounts.isResetTokenValid(expired))
            #expect(try await accounts.completePasswordReset(token: expired, newHash: "z") == nil)
        }
    }
}
