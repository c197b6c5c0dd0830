import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime
import PortalAPI
import PortalCore
import PortalStore
import Prometheus

/// The operations of `openapi.yaml` that swift-openapi-generator compiles (the `filter` in
/// `openapi-generator-config.yaml`), served through swift-openapi-hummingbird: the generated code reads the
/// parameters and writes the answers, so a handler that does not match the document does not compile.
///
/// Errors are thrown as `PortalError`s, which `ErrorMiddleware` writes as the one error body of the document in the
/// reader's language. Every JSON operation of the document is served here; `APIContractTests` checks that no
/// hand-written route answers under `/api/` besides the documentation page.
/// A class, so that the generated server, which copies its handler for every request, copies one reference.
final class PortalAPIService: APIProtocol {
    let database: Database
    let catalogue: CatalogueStore
    let dossiers: DossierStore
    let statistics: StatisticsStore
    let hits: HitCounter
    let lookupLimiter: RateLimiter
    let hotlines: HotlineStore
    let feedback: FeedbackStore
    let registry: PrometheusCollectorRegistry
    let clients: AgencyClients
    let sync: DossierSync
    let inbox: SyncInbox
    let webhooks: Webhooks
    let legacy: LegacySyncController
    let payments: PaymentController
    let logger: Logger

    init(
        database: Database, catalogue: CatalogueStore, dossiers: DossierStore, statistics: StatisticsStore,
        hits: HitCounter, lookupLimiter: RateLimiter, hotlines: HotlineStore, feedback: FeedbackStore,
        registry: PrometheusCollectorRegistry, clients: AgencyClients, sync: DossierSync, inbox: SyncInbox,
        webhooks: Webhooks, legacy: LegacySyncController, payments: PaymentController, logger: Logger
    ) {
        self.database = database
        self.catalogue = catalogue
        self.dossiers = dossiers
        self.statistics = statistics
        self.hits = hits
        self.lookupLimiter = lookupLimiter
        self.hotlines = hotlines
        self.feedback = feedback
        self.registry = registry
        self.clients = clients
        self.sync = sync
        self.inbox = inbox
        self.webhooks = webhooks
        self.legacy = legacy
        self.payments = payments
        self.logger = logger
    }

    /// The request's context, set by `APIRequestScope` for the length of each request.
    var context: AppRequestContext {
        get throws {
            guard let context = APIRequestScope.context else { throw PortalError.internalError }
            return context
        }
    }

    // MARK: Operations

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(headers: .init(cacheControl: .noStore), body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let migrator = Migrator(database: database)
        let kind = Components.Schemas.Readiness.DatabasePayload(rawValue: database.dialect.rawValue) ?? .sqlite
        func unavailable(_ reason: String, version: Int?) -> Operations.GetReadiness.Output {
            .serviceUnavailable(
                .init(
                    headers: .init(cacheControl: .noStore),
                    body: .json(
                        .init(
                            status: .unavailable, database: kind, schemaVersion: version,
                            expectedSchemaVersion: migrator.latestVersion, reason: reason))))
        }
        let version: Int?
        do {
            version = try await migrator.currentVersion()
        } catch {
            return unavailable("database unreachable", version: nil)
        }
        guard version == migrator.latestVersion else {
            return unavailable(
                "schema version \(version.map(String.init) ?? "none"), expected \(migrator.latestVersion)",
                version: version)
        }
        return .ok(
            .init(
                headers: .init(cacheControl: .noStore),
                body: .json(
                    .init(
                        status: .ready, database: kind, schemaVersion: version,
                        expectedSchemaVersion: migrator.latestVersion))))
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        .ok(.init(body: .textPlainVersion_0_0_4(HTTPBody(registry.emitToBuffer()))))
    }

    func listHotlines(_ input: Operations.ListHotlines.Input) async throws -> Operations.ListHotlines.Output {
        let query = input.query
        var filters: [String: String] = [:]
        filters["province"] = query.province
        filters["commune"] = query.commune
        filters["agency"] = query.agency
        let province = try HotlineController.code(filters, "province", pattern: HotlineController.isUnitCode)
        let commune = try HotlineController.code(filters, "commune", pattern: HotlineController.isUnitCode)
        let agency = try HotlineController.code(filters, "agency", pattern: HotlineController.isAgencyCode)
        let page = query.page ?? 1
        let perPage = query.perPage ?? 50
        let (items, total) = try await hotlines.list(
            province: province, commune: commune, agency: agency, limit: perPage, offset: (page - 1) * perPage)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: items.map { line in
                            HotlineBody(
                                id: Int(line.id), name: line.name,
                                agency: line.agencyCode.map { .init(code: $0, name: line.agencyName ?? $0) },
                                province: line.provinceCode.map { .init(code: $0, name: line.provinceName ?? $0) },
                                commune: line.communeCode.map { .init(code: $0, name: line.communeName ?? $0) },
                                phones: line.phones, hours: line.hours, email: line.email, address: line.address)
                        }, total: total, page: page, perPage: perPage))))
    }

    func listPublishedFeedback(_ input: Operations.ListPublishedFeedback.Input) async throws
        -> Operations.ListPublishedFeedback.Output
    {
        let search = input.query.q ?? ""
        guard search.count <= 200 else {
            throw PortalError(.badRequest, code: "invalid_q", messageKey: "feedback_error_query", field: "q")
        }
        let page = input.query.page ?? 1
        let perPage = input.query.perPage ?? 20
        let (items, total) = try await feedback.published(query: search, limit: perPage, offset: (page - 1) * perPage)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: items.map {
                            PublishedFeedbackBody(
                                id: Int($0.id), title: $0.title, question: $0.question, answer: $0.answer,
                                agency: $0.agencyName, procedureCode: $0.procedureCode,
                                publishedAt: VietnamTime.iso8601($0.publishedAt), url: "/phan-anh-kien-nghi/\($0.id)")
                        }, total: total, page: page, perPage: perPage))))
    }

    func searchProcedures(_ input: Operations.SearchProcedures.Input) async throws
        -> Operations.SearchProcedures.Output
    {
        let query = input.query
        let filter = ProcedureFilter(
            query: String(Self.text(query.q)?.prefix(200) ?? ""), group: Self.text(query.group),
            field: Self.text(query.field), agency: Self.text(query.agency),
            level: query.level.flatMap { AdministrativeLevel(rawValue: $0.rawValue) },
            audience: query.audience.flatMap { Audience(rawValue: $0.rawValue) },
            onlineLevel: query.onlineLevel.flatMap { OnlineLevel(rawValue: $0.rawValue) })
        let results = try await catalogue.search(filter, page: query.page ?? 1, perPage: query.perPage ?? 20)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: results.items.map { Self.summary($0, agencies: results.agencyNames) },
                        total: results.total, page: results.page, perPage: results.perPage))))
    }

    func getProcedure(_ input: Operations.GetProcedure.Input) async throws -> Operations.GetProcedure.Output {
        guard let procedure = try await catalogue.procedure(code: input.path.code) else {
            throw PortalError(.notFound, code: "not_found", messageKey: "error_procedure_not_found", field: "code")
        }
        let codes = CatalogueStore.agencyCodes(of: procedure)
        let agencies = try await catalogue.agencies(codes: Array(Set(codes)).sorted())
        let names = Dictionary(agencies.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        return .ok(.init(body: .json(Self.procedure(procedure, agencies: names))))
    }

    func listProvinces(_ input: Operations.ListProvinces.Input) async throws -> Operations.ListProvinces.Output {
        let provinces = try await catalogue.provinces()
        return .ok(.init(body: .json(.init(items: provinces.map(Self.province), total: provinces.count))))
    }

    func listCommunes(_ input: Operations.ListCommunes.Input) async throws -> Operations.ListCommunes.Output {
        let code = input.path.code
        guard let province = try await catalogue.province(code: code) else {
            throw PortalError(.notFound, code: "not_found", messageKey: "error_province_not_found", field: "code")
        }
        let communes = try await catalogue.communes(provinceCode: code)
        return .ok(
            .init(
                body: .json(
                    .init(
                        province: Self.province(province),
                        items: communes.map { .init(code: $0.code, name: $0.name, _type: $0.type) },
                        total: communes.count))))
    }

    func listAgencies(_ input: Operations.ListAgencies.Input) async throws -> Operations.ListAgencies.Output {
        let page = input.query.page ?? 1
        let perPage = input.query.perPage ?? 20
        let result = try await catalogue.agencies(
            matching: String(Self.text(input.query.q)?.prefix(200) ?? ""), limit: perPage,
            offset: (page - 1) * perPage)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: result.items.map(Self.agency), total: result.total, page: page, perPage: perPage))))
    }

    func getDossierStatus(_ input: Operations.GetDossierStatus.Input) async throws
        -> Operations.GetDossierStatus.Output
    {
        let context = try context
        try await lookupLimiter.enforce(context.remoteAddress ?? "unknown")
        let code = input.path.code
        guard (try? DossierCode(validating: code)) != nil else {
            throw PortalError(.badRequest, code: "invalid_code", messageKey: "lookup_error_format", field: "code")
        }
        guard let found = try await dossiers.publicStatus(code: code) else {
            throw PortalError(.notFound, code: "not_found", messageKey: "lookup_not_found_heading", field: "code")
        }
        return .ok(.init(body: .json(LookupController.publicView(found, language: context.language))))
    }

    func getStatsSummary(_ input: Operations.GetStatsSummary.Input) async throws -> Operations.GetStatsSummary.Output {
        let summary = try await statistics.summary(unflushedHits: hits.unflushed)
        return .ok(
            .init(
                body: .json(
                    .init(
                        accounts: Int(summary.accounts), hits: Int(summary.hits),
                        statusSyncs: Int(summary.statusSyncs), dossiersProcessed: Int(summary.dossiersProcessed),
                        servicesOnline: .init(full: Int(summary.servicesFull), partial: Int(summary.servicesPartial)),
                        agenciesSyncing: Int(summary.agenciesSyncing), asOf: Date()))))
    }

    func getStatsAgencies(_ input: Operations.GetStatsAgencies.Input) async throws
        -> Operations.GetStatsAgencies.Output
    {
        let period = try Self.period(from: input.query.from, to: input.query.to)
        let page = input.query.page ?? 1
        let perPage = input.query.perPage ?? 100
        let all = try await statistics.agencies(from: period.from, to: period.to)
        let slice = all.dropFirst((page - 1) * perPage).prefix(perPage)
        return .ok(
            .init(
                body: .json(
                    StatsAgenciesBody(
                        from: period.from.description, to: period.to.description,
                        asOf: try await statistics.refreshedAt().map(VietnamTime.iso8601), page: page,
                        perPage: perPage, total: all.count, agencies: slice.map(Self.agencyFigures)))))
    }

    func getStatsAgenciesCSV(_ input: Operations.GetStatsAgenciesCSV.Input) async throws
        -> Operations.GetStatsAgenciesCSV.Output
    {
        let period = try Self.period(from: input.query.from, to: input.query.to)
        let all = try await statistics.agencies(from: period.from, to: period.to)
        var csv = StatisticsController.csvLine(StatsAgencyBody.columns)
        for agency in all { csv += StatisticsController.csvLine(Self.agencyFigures(agency).csvCells) }
        let name = "opendvc-agencies-\(period.from.description)-\(period.to.description).csv"
        return .ok(
            .init(
                headers: .init(contentDisposition: "attachment; filename=\"\(name)\""),
                body: .textCsvCharsetUtf8(HTTPBody(csv))))
    }

    func getStatsProcedures(_ input: Operations.GetStatsProcedures.Input) async throws
        -> Operations.GetStatsProcedures.Output
    {
        let period = try Self.period(from: input.query.from, to: input.query.to)
        let agency = Self.text(input.query.agency)
        if let agency, (try? AgencyIdentifier(validating: agency)) == nil {
            throw PortalError(.badRequest, code: "invalid_agency", messageKey: "stats_error_agency", field: "agency")
        }
        let rows = try await statistics.procedures(agency: agency, from: period.from, to: period.to)
        let rounded = StatisticsController.rounded
        return .ok(
            .init(
                body: .json(
                    .init(
                        agency: agency, from: period.from.description, to: period.to.description,
                        asOf: try await statistics.refreshedAt(),
                        procedures: rows.map { row in
                            let f = row.figures
                            return .init(
                                procedureCode: row.procedureCode, procedureName: row.procedureName,
                                received: Int(f.received), onlineShare: rounded(f.onlineShare.value),
                                supplementRate: rounded(f.supplementRate.value), finishedEarly: Int(f.finishedEarly),
                                finishedOnTime: Int(f.finishedOnTime), finishedLate: Int(f.finishedLate),
                                onTimeRate: rounded(f.onTimeRate.value),
                                closedWithoutResult: Int(f.closedWithoutResult),
                                openWithinDeadline: Int(f.openWithinDeadline),
                                openPastDeadline: Int(f.openPastDeadline),
                                averageWorkingDays: rounded(f.averageWorkingDays),
                                averageRating: rounded(f.averageRating))
                        }))))
    }

    // MARK: From the domain to the document's schemas

    /// The period of `from` and `to` (see `StatisticsController.period`).
    static func period(from: String?, to: String?) throws -> StatisticsController.Period {
        var query: [String: String] = [:]
        query["from"] = from
        query["to"] = to
        return try StatisticsController.period(query, fromField: "from", toField: "to")
    }

    static func agencyFigures(_ agency: AgencyFigures) -> StatsAgencyBody {
        let f = agency.figures
        let rounded = StatisticsController.rounded
        return StatsAgencyBody(
            rank: agency.rank, agencyCode: agency.agencyCode, agencyName: agency.agencyName, received: Int(f.received),
            online: Int(f.online), onlineShare: rounded(f.onlineShare.value), supplemented: Int(f.supplemented),
            supplementRate: rounded(f.supplementRate.value), finishedEarly: Int(f.finishedEarly),
            finishedOnTime: Int(f.finishedOnTime), finishedLate: Int(f.finishedLate),
            onTimeRate: rounded(f.onTimeRate.value), closedWithoutResult: Int(f.closedWithoutResult),
            openWithinDeadline: Int(f.openWithinDeadline), openPastDeadline: Int(f.openPastDeadline),
            averageWorkingDays: rounded(f.averageWorkingDays), ratings: Int(f.ratingCount),
            averageRating: rounded(f.averageRating))
    }

    /// A text parameter trimmed, or nil when it is empty.
    static func text(_ value: String?) -> String? {
        guard let trimmed = value?.withoutSurroundingSpace, !trimmed.isEmpty else { return nil }
        return trimmed
    }

    static func agencyRefs(_ procedure: Procedure, _ names: [String: String]) -> [Components.Schemas.AgencyRef] {
        CatalogueStore.agencyCodes(of: procedure).map { .init(code: $0, name: names[$0]) }
    }

    static func processingTime(_ time: ProcessingTimeText) -> Components.Schemas.ProcessingTime {
        .init(amount: time.amount, unit: time.unit.flatMap { .init(rawValue: $0) }, text: time.text)
    }

    static func fee(_ fee: Fee) -> Components.Schemas.Fee {
        .init(amount: fee.amount.map { Int($0) }, text: fee.text)
    }

    static func summary(_ procedure: Procedure, agencies names: [String: String])
        -> Components.Schemas.ProcedureSummary
    {
        .init(
            code: procedure.code, name: procedure.name, field: procedure.field,
            agencies: agencyRefs(procedure, names),
            onlineLevel: .init(rawValue: procedure.onlineLevel.rawValue) ?? .none,
            processingTime: processingTime(procedure.processingTime), fee: fee(procedure.fee))
    }

    static func procedure(_ procedure: Procedure, agencies names: [String: String]) -> Components.Schemas.Procedure {
        .init(
            code: procedure.code, name: procedure.name, nameEn: procedure.nameEnglish, group: procedure.groupSlug,
            field: procedure.field, ministry: procedure.ministryCode,
            levels: procedure.levels.compactMap { .init(rawValue: $0.rawValue) },
            implementingAgency: procedure.implementingAgency, competentAgency: procedure.competentAgency,
            agencies: agencyRefs(procedure, names),
            audiences: procedure.audiences.compactMap { .init(rawValue: $0.rawValue) },
            channels: procedure.channels.compactMap { .init(rawValue: $0.rawValue) },
            onlineLevel: .init(rawValue: procedure.onlineLevel.rawValue) ?? .none, legacyLevel: procedure.legacyLevel,
            processingTime: processingTime(procedure.processingTime), fee: fee(procedure.fee),
            documents: procedure.documents.map {
                .init(name: $0.name, quantity: $0.quantity, template: $0.template, group: $0.group)
            },
            steps: procedure.steps, conditions: procedure.conditions, legalBasis: procedure.legalBasis,
            result: procedure.result, resultCodes: procedure.resultCodes, decision: procedure.decision)
    }

    static func province(_ province: Province) -> Components.Schemas.Province {
        .init(code: province.code, name: province.name, fullName: province.fullName, _type: province.type)
    }

    static func agency(_ agency: Agency) -> Components.Schemas.Agency {
        .init(
            code: agency.code, shortCode: agency.shortCode, name: agency.name, nameEn: agency.nameEnglish,
            level: .init(rawValue: agency.level.rawValue) ?? .central, parentCode: agency.parentCode,
            provinceCode: agency.provinceCode, status: agency.status)
    }
}
