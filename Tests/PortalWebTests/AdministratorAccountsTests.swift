import PortalStore
import PortalTestSupport
import PortalWeb
import SQLKit
import Testing

@Suite struct AdministratorAccountsTests {
    @Test(arguments: TestEngine.available)
    func anAdministratorIsCreatedOnceCountedAndCanSignIn(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let accounts = AdministratorAccounts(database: database, cost: 4)
            try await accounts.create(email: "Admin@Example.gov.vn", password: "mật khẩu đủ dài", fullName: "Quản trị")
            #expect(try await accounts.verify(email: "admin@example.gov.vn", password: "mật khẩu đủ dài"))
            #expect(try await accounts.verify(email: "admin@example.gov.vn", password: "sai mật khẩu") == false)
            #expect(try await CounterStore(database: database).values()[.accounts] == 1)
            await #expect(throws: AccountInputError.self) {
                try await accounts.create(email: "admin@example.gov.vn", password: "another long one", fullName: "X")
            }
            #expect(try await CounterStore(database: database).values()[.accounts] == 1)
            // The stored value is a bcrypt hash, never the password.
            let stored = try await database.sql.raw("SELECT password_hash FROM accounts").first()?
                .decode(column: "password_hash", as: String.self)
            #expect(stored?.hasPrefix("$2b$04$") == true)
        }
    }

    @Test(arguments: [
        ("not-an-email", "long enough pass", "email"), ("a@b.vn", "short", "password"),
        ("a@b.vn", String(repeating: "x", count: 129), "password"),
    ])
    func badInputNamesTheField(email: String, password: String, field: String) async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            do {
                try await AdministratorAccounts(database: database, cost: 4).create(
                    email: email, password: password, fullName: "X")
                Issue.record("accepted \(email)")
            } catch let error as AccountInputError {
                #expect(error.field == field)
            }
            #expect(try await CounterStore(database: database).values()[.accounts] == 0)
        }
    }
}
