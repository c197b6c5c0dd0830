import Foundation
import PortalStore
import PortalWeb
import Testing

@Suite struct AppConfigTests {
    @Test func defaultsServeTheSQLiteFileInTheDataDirectoryOnLocalhost() async throws {
        let config = try await AppConfig.load(flags: [:], environment: [:], dotEnvPath: nil)
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.dataDirectory == "./data")
        #expect(config.databaseURL == .sqlite(path: AppConfig.defaultSQLitePath(dataDirectory: "./data")))
        #expect(config.databaseURL.description.hasSuffix("/data/opendvc.sqlite"))
        #expect(config.sqlite.synchronous == .full)
        #expect(config.runsWorker)
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheDotEnvFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dotEnv = directory.appendingPathComponent(".env").path
        try "OPENDVC_PORT=7000\nOPENDVC_HOST=0.0.0.0\nOPENDVC_DATA_DIR=/srv/dvc\n".write(
            toFile: dotEnv, atomically: true, encoding: .utf8)
        let fromFile = try await AppConfig.load(flags: [:], environment: [:], dotEnvPath: dotEnv)
        #expect(fromFile.port == 7000 && fromFile.host == "0.0.0.0" && fromFile.dataDirectory == "/srv/dvc")
        let fromEnvironment = try await AppConfig.load(
            flags: [:], environment: ["OPENDVC_PORT": "7100", "OPENDVC_DB_SQLITE_SYNCHRONOUS": "normal"],
            dotEnvPath: dotEnv)
        #expect(fromEnvironment.port == 7100 && fromEnvironment.host == "0.0.0.0")
        #expect(fromEnvironment.sqlite.synchronous == .normal)
        let fromFlags = try await AppConfig.load(
            flags: [.port: "7200", .databaseURL: "postgres://u:p@db:5432/dvc"], environment: ["OPENDVC_PORT": "7100"],
            dotEnvPath: dotEnv)
        #expect(fromFlags.port == 7200)
        #expect(fromFlags.databaseURL == .postgres(url: "postgres://u:p@db:5432/dvc"))
        let noWorker = try await AppConfig.load(flags: [.worker: "false"], environment: [:], dotEnvPath: nil)
        #expect(noWorker.runsWorker == false)
    }

    @Test(arguments: [
        (AppConfig.Key.port, "abc", "configuration opendvc.port (--port / OPENDVC_PORT): 'abc' is not a port number"),
        (.port, "70000", "configuration opendvc.port (--port / OPENDVC_PORT): '70000' is not a port number"),
        (.databaseURL, "mysql://db", "configuration opendvc.db.url (--db-url / OPENDVC_DB_URL): expected sqlite"),
        (.sqliteSynchronous, "OFF", "configuration opendvc.db.sqlite.synchronous (OPENDVC_DB_SQLITE_SYNCHRONOUS)"),
        (.worker, "maybe", "configuration opendvc.worker (--no-worker / OPENDVC_WORKER): 'maybe' is not true or false"),
        (
            .publicURL, "dichvucong.gov.vn/",
            "configuration opendvc.public.url (OPENDVC_PUBLIC_URL): 'dichvucong.gov.vn/'"
        ),
        (.maximumFileMegabytes, "0", "configuration opendvc.attachments.max.file.mb (OPENDVC_ATTACHMENTS_MAX_FILE_MB)"),
        (.maximumDossierMegabytes, "5", "configuration opendvc.attachments.max.dossier.mb"),
        (.lookupsPerMinute, "nhiều", "configuration opendvc.lookup.per.minute (OPENDVC_LOOKUP_PER_MINUTE)"),
        (.statisticsRefreshSeconds, "0", "configuration opendvc.stats.refresh.seconds (OPENDVC_STATS_REFRESH_SECONDS)"),
        (
            .paymentSecret, "ngắn",
            "configuration opendvc.payments.secret (OPENDVC_PAYMENTS_SECRET): must be at least 16"
        ),
        (.paymentMerchant, "mã sai!", "configuration opendvc.payments.merchant (OPENDVC_PAYMENTS_MERCHANT)"),
        (.paymentGatewayURL, "http://cong.vn/pay", "configuration opendvc.payments.gateway.url"),
    ])
    func badValuesAreRefusedWithOneLineNamingTheKey(key: AppConfig.Key, value: String, message: String) async {
        do {
            _ = try await AppConfig.load(flags: [key: value], environment: [:], dotEnvPath: nil)
            Issue.record("\(key) = \(value) was accepted")
        } catch {
            #expect(error.key == key)
            #expect(error.description.hasPrefix(message), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
        // The environment variable gives the same answer as the flag.
        do {
            _ = try await AppConfig.load(flags: [:], environment: [key.environmentVariable: value], dotEnvPath: nil)
            Issue.record("\(key.environmentVariable) = \(value) was accepted")
        } catch {
            #expect(error.key == key)
        }
    }

    @Test func withoutTheSandboxAGatewayAndItsSecretAreRequired() async {
        do {
            _ = try await AppConfig.load(
                flags: [.paymentSandbox: "false"], environment: [:], dotEnvPath: nil)
            Issue.record("a real gateway without a secret was accepted")
        } catch {
            #expect(error.key == .paymentSecret)
        }
        do {
            let config = try await AppConfig.load(
                flags: [
                    .paymentSandbox: "false", .paymentSecret: "a-long-shared-secret-from-the-bank",
                    .paymentGatewayURL: "https://pay.example.vn/paymentv2/vpcpay.html",
                ], environment: [:], dotEnvPath: nil)
            #expect(!config.paymentSandbox && config.paymentGatewayURL.hasPrefix("https://pay.example.vn"))
        } catch {
            Issue.record("a complete gateway configuration was refused: \(error)")
        }
    }
}
