import Foundation
import Hummingbird
import Logging
import PortalAPI
import PortalStore
import Prometheus
import ServiceLifecycle

/// The long-lived parts of a running portal, built once from the configuration.
public struct Portal: Sendable {
    public let config: AppConfig
    public let database: Database
    public let jobs: JobQueue
    public let registry: PrometheusCollectorRegistry
    /// Page views not yet written to the database.
    public let hits = HitCounter()

    /// Opens the database, brings its schema up to date and, on a fresh database, loads the demo catalogue.
    public static func open(config: AppConfig, logger: Logger) async throws -> Portal {
        do {
            for directory in [config.dataDirectory, config.attachmentsDirectory] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        } catch {
            throw ConfigError(key: .dataDirectory, message: "cannot create the data directory \(config.dataDirectory)")
        }
        let database = try await Database.open(config.databaseURL, sqliteOptions: config.sqlite, logger: logger)
        do {
            try await Migrator(database: database).migrate(logger: logger)
            if config.loadsDemoCatalogue,
                try await DemoCatalogue.bundled().loadIfEmpty(into: CatalogueStore(database: database))
            {
                logger.info("demo catalogue loaded")
            }
            try await HotlineStore(database: database).seedIfEmpty(nationalNumber: config.hotline)
        } catch {
            await database.shutdown()
            throw error
        }
        return Portal(
            config: config, database: database, jobs: JobQueue(database: database),
            registry: PrometheusCollectorRegistry())
    }

    /// The handlers of the background jobs the portal knows, by kind.
    public var jobHandlers: [String: JobHandler] {
        let outbox = OutboxDelivery(
            database: database, transport: FileOutboxTransport(directory: config.outboxDirectory))
        let inactivity = AccountInactivity(database: database)
        let statistics = StatisticsStore(database: database)
        let webhooks = WebhookSender(database: database)
        let interval = TimeInterval(config.statisticsRefreshSeconds)
        return [
            OutboxDelivery.jobKind: { job in try await outbox.handle(job) },
            AccountInactivity.jobKind: { job in try await inactivity.handle(job) },
            StatisticsStore.jobKind: { job in try await statistics.handle(job, interval: interval) },
            Webhooks.jobKind: { job in try await webhooks.handle(job) },
        ]
    }
}

extension AppConfig {
    /// Where attachments are stored, content-addressed.
    public var attachmentsDirectory: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("attachments").path
    }

    /// Where the development transport writes outgoing e-mail and SMS, one file per message.
    public var outboxDirectory: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("outbox").path
    }
}

/// Builds the whole application from its configuration: the single composition root for `main` and the tests.
public func buildApplication(config: AppConfig, logger: Logger) async throws -> some ApplicationProtocol {
    let portal = try await Portal.open(config: config, logger: logger)
    do {
        return try await buildApplication(portal: portal, logger: logger)
    } catch {
        await portal.database.shutdown()
        throw error
    }
}

/// Builds the application around an opened portal.
public func buildApplication(portal: Portal, logger: Logger) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(portal: portal, logger: logger)
    // Services stop in reverse order: the server first, then the page-view flush, the database last.
    var services: [any Service] = [
        DatabaseService(database: portal.database),
        HitFlushService(hits: portal.hits, database: portal.database, interval: .seconds(5), logger: logger),
        // The catalogue's search index is built while the server starts answering, not by the first search; as a
        // service it finishes before the database closes.
        SearchIndexWarmUp(catalogue: CatalogueStore(database: portal.database), logger: logger),
    ]
    if portal.config.runsWorker {
        // The daily inactivity check runs once soon after start-up, then schedules itself; so does the
        // statistics refresh, every `opendvc.stats.refresh.seconds`.
        try await AccountInactivity(database: portal.database).schedule(runAt: Date().addingTimeInterval(60))
        try await StatisticsStore(database: portal.database).schedule(runAt: Date())
        services.append(JobWorker(queue: portal.jobs, handlers: portal.jobHandlers, logger: logger))
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(portal.config.host, port: portal.config.port), serverName: nil),
        services: services,
        logger: logger
    )
}

/// The router with every middleware and controller.
public func buildRouter(portal: Portal, logger: Logger) async throws -> Router<AppRequestContext> {
    let renderer = try await PageRenderer.bundled(hotline: portal.config.hotline)
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let methods = RouteMethodTable()
    // Sign-ins, registrations and password changes share one bounded queue for their bcrypt work.
    let hashing = PasswordHashing()
    router.addMiddleware {
        RequestLogMiddleware(logger: logger)
        PrometheusMetricsMiddleware(registry: portal.registry)
        HitCountingMiddleware(hits: portal.hits)
        SecurityHeadersMiddleware()
        LanguageMiddleware()
        ErrorMiddleware(renderer: renderer, logger: logger)
        MethodNotAllowedMiddleware(table: methods)
        SessionMiddleware(sessions: SessionStore(database: portal.database), secureCookies: portal.config.secureCookies)
        AccessPolicyMiddleware()
    }
    OperationsController(
        stylesheet: try bundledFile("Public/site.css"), script: try bundledFile("Public/site.js"),
        openAPI: ByteBuffer(string: try OpenAPISpec.yaml()), benchmarkMode: portal.config.benchmarkMode
    ).addRoutes(to: router)
    AccountController(
        accounts: AccountStore(database: portal.database), sessions: SessionStore(database: portal.database),
        throttle: LoginThrottle(database: portal.database), catalogue: CatalogueStore(database: portal.database),
        renderer: renderer, bcryptCost: UInt8(portal.config.bcryptCost), hashing: hashing,
        secureCookies: portal.config.secureCookies
    ).addRoutes(to: router)
    CatalogueController(
        catalogue: CatalogueStore(database: portal.database), counters: CounterStore(database: portal.database),
        hotlines: HotlineStore(database: portal.database), renderer: renderer
    ).addRoutes(to: router)
    let database = portal.database
    let attachments = AttachmentStore(
        root: portal.config.attachmentsDirectory, maximumFileSize: portal.config.maximumFileBytes)
    let limits = DossierController.Limits(
        maximumFileBytes: portal.config.maximumFileBytes, maximumDossierBytes: portal.config.maximumDossierBytes)
    DossierController(
        dossiers: DossierStore(database: database), catalogue: CatalogueStore(database: database),
        accounts: AccountStore(database: database), accessLog: AccessLog(database: database), attachments: attachments,
        holidays: HolidayStore(database: database), payments: Payments(database: database),
        hotlines: HotlineStore(database: database), renderer: renderer, limits: limits, logger: logger
    ).addRoutes(to: router)
    OfficerController(
        dossiers: DossierStore(database: database), catalogue: CatalogueStore(database: database),
        accounts: AccountStore(database: database), accessLog: AccessLog(database: database), attachments: attachments,
        holidays: HolidayStore(database: database), renderer: renderer, limits: limits, logger: logger
    ).addRoutes(to: router)
    PasswordController(
        accounts: AccountStore(database: database), renderer: renderer, bcryptCost: UInt8(portal.config.bcryptCost),
        hashing: hashing,
        limiter: RateLimiter(limit: 5), publicURL: portal.config.publicBaseURL
    ).addRoutes(to: router)
    AdminController(
        accounts: AccountStore(database: database),
        staff: AdministratorAccounts(database: database, cost: UInt8(portal.config.bcryptCost), hashing: hashing),
        dossiers: DossierStore(database: database), catalogue: CatalogueStore(database: database),
        renderer: renderer, logger: logger
    ).addRoutes(to: router)
    NotificationsController(notifications: Notifications(database: database), renderer: renderer).addRoutes(to: router)
    StatisticsController(statistics: StatisticsStore(database: database), hits: portal.hits, renderer: renderer)
        .addRoutes(to: router)
    WebhookAdminController(webhooks: Webhooks(database: database), renderer: renderer).addRoutes(to: router)
    HotlineController(
        hotlines: HotlineStore(database: database), catalogue: CatalogueStore(database: database), renderer: renderer
    )
    .addRoutes(to: router)
    HomeSupportController(
        support: HomeSupport(database: database), catalogue: CatalogueStore(database: database),
        holidays: HolidayStore(database: database), renderer: renderer, limiter: RateLimiter(limit: 5)
    ).addRoutes(to: router)
    let payments = PaymentController(
        payments: Payments(database: database), dossiers: DossierStore(database: database),
        gateway: .init(
            secret: portal.config.paymentSecret, merchant: portal.config.paymentMerchant,
            url: portal.config.paymentGatewayURL, sandbox: portal.config.paymentSandbox,
            publicBaseURL: portal.config.publicBaseURL),
        renderer: renderer, logger: logger
    )
    payments.addRoutes(to: router)
    APIDocsController(
        documentation: try APIDocumentation(yaml: try OpenAPISpec.yaml(), baseURL: portal.config.publicBaseURL),
        renderer: renderer
    ).addRoutes(to: router)
    TwoFactorController(
        accounts: AccountStore(database: database), sessions: SessionStore(database: database),
        throttle: LoginThrottle(database: database), renderer: renderer
    ).addRoutes(to: router)
    let legacy = LegacySyncController(
        clients: AgencyClients(database: database), sync: DossierSync(database: database),
        dossiers: DossierStore(database: database), catalogue: CatalogueStore(database: database), logger: logger
    )
    FeedbackController(
        feedback: FeedbackStore(database: database), catalogue: CatalogueStore(database: database),
        dossiers: DossierStore(database: database), renderer: renderer, limiter: RateLimiter(limit: 5)
    ).addRoutes(to: router)
    // The page and the JSON lookup share one limit per client address.
    let lookupLimiter = RateLimiter(limit: portal.config.lookupsPerMinute)
    LookupController(dossiers: DossierStore(database: database), renderer: renderer, limiter: lookupLimiter)
        .addRoutes(to: router)
    try registerGeneratedAPI(
        PortalAPIService(
            database: database, catalogue: CatalogueStore(database: database),
            dossiers: DossierStore(database: database), statistics: StatisticsStore(database: database),
            hits: portal.hits, lookupLimiter: lookupLimiter, hotlines: HotlineStore(database: database),
            feedback: FeedbackStore(database: database), registry: portal.registry,
            clients: AgencyClients(database: database), sync: DossierSync(database: database),
            inbox: SyncInbox(database: database), webhooks: Webhooks(database: database), legacy: legacy,
            payments: payments, logger: logger),
        on: router, rules: try QueryParameterRules(yaml: try OpenAPISpec.yaml()))
    methods.load(router.routes)
    return router
}

/// A file shipped in this module's resources.
func bundledFile(_ path: String) throws -> ByteBuffer {
    guard let base = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
    return ByteBuffer(bytes: try Data(contentsOf: base.appendingPathComponent(path)))
}

/// Builds the catalogue's search index once at start-up, then waits for the application to stop.
struct SearchIndexWarmUp: Service {
    let catalogue: CatalogueStore
    let logger: Logger

    func run() async throws {
        do {
            try await catalogue.prepareSearch()
        } catch {
            logger.warning("search index not prepared", metadata: ["error": "\(type(of: error))"])
        }
        try? await gracefulShutdown()
    }
}
