import ArgumentParser
import Foundation
import PortalCore
import PortalStore

/// `opendvc agency add-client` and `revoke-client`: the tokens agencies' one-stop systems sync with.
struct AgencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency", abstract: "Manage agency sync clients.",
        subcommands: [AddClient.self, RevokeClient.self])

    struct AddClient: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-client",
            abstract: "Create a client for an agency (and the agency if needed); prints its token on the last line.")

        @Option(help: "The agency's electronic identifier, e.g. 000.00.61.H29.")
        var agency: String

        @Option(help: "A unique name for the client (also the legacy connector's user name).")
        var name: String

        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard (try? AgencyIdentifier(validating: agency)) != nil else {
                throw ValidationError("--agency: '\(agency)' is not an agency identifier such as 000.00.61.H29")
            }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= 100 else {
                throw ValidationError("--name: give a name of 1 to 100 characters")
            }
        }

        func run() async throws {
            try await withPortalDatabase(storage) { database in
                let (client, token) = try await AgencyClients(database: database).add(
                    agencyCode: agency, name: name.trimmingCharacters(in: .whitespaces))
                print(
                    "Client \(client.id) '\(client.name)' acts for agency \(client.agencyCode). Its token (shown once):"
                )
                print(token)
            }
        }
    }

    struct RevokeClient: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-client", abstract: "Revoke a client's token at once.")

        @Argument(help: "The client's id, as add-client printed it.")
        var id: Int64

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await withPortalDatabase(storage) { database in
                guard try await AgencyClients(database: database).revoke(id: id) else {
                    printError("no active client has the id \(id)")
                    throw ExitCode(1)
                }
                print("Client \(id) revoked.")
            }
        }
    }
}
