import ArgumentParser
import PortalStore
import PortalWeb

/// `opendvc create-admin`: the first administrator of a new portal.
struct CreateAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin", abstract: "Create an administrator account.")

    @Option(help: "The administrator's e-mail address, used to sign in.")
    var email: String

    @Option(help: "The password (at least 8 characters). Prefer OPENDVC_ADMIN_PASSWORD to keep it out of history.")
    var password: String

    @Option(name: .customLong("name"), help: "The administrator's full name.")
    var fullName: String = "Quản trị viên"

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        // The same password cost as the server's (OPENDVC_BCRYPT_COST), so that staff sign in equally fast.
        let cost = UInt8(try await AppConfig.load(flags: storage.flags).bcryptCost)
        try await withPortalDatabase(storage) { database in
            let id = try await AdministratorAccounts(database: database, cost: cost)
                .create(email: email, password: password, fullName: fullName)
            print("Administrator account \(id) created.")
        }
    }
}
