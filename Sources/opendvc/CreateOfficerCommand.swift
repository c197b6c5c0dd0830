import ArgumentParser
import PortalStore
import PortalWeb

/// `opendvc create-officer`: an officer (or agency administrator) bound to one agency.
struct CreateOfficerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-officer", abstract: "Create an officer account bound to one agency.")

    @Option(help: "The officer's e-mail address, used to sign in.")
    var email: String

    @Option(help: "The password (at least 8 characters).")
    var password: String

    @Option(name: .customLong("name"), help: "The officer's full name.")
    var fullName: String

    @Option(help: "The electronic identifier of the officer's agency, e.g. 000.00.61.H29.")
    var agency: String

    @Flag(help: "Make the account an agency administrator instead of an officer.")
    var agencyAdmin = false

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        // The same password cost as the server's (OPENDVC_BCRYPT_COST), so that staff sign in equally fast.
        let cost = UInt8(try await AppConfig.load(flags: storage.flags).bcryptCost)
        try await withPortalDatabase(storage) { database in
            let id = try await AdministratorAccounts(database: database, cost: cost).createStaff(
                role: agencyAdmin ? .agencyAdmin : .officer, email: email, password: password, fullName: fullName,
                agencyCode: agency)
            print("Officer account \(id) created for agency \(agency); two-factor enrolment is asked at first sign-in.")
        }
    }
}
