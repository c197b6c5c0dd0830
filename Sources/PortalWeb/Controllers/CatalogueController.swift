import Foundation
import Hummingbird
import PortalCore
import PortalStore

/// The public pages: home, procedure search and browsing, a procedure, and dossier lookup.
struct CatalogueController: Sendable {
    let catalogue: CatalogueStore
    let counters: CounterStore
    let hotlines: HotlineStore
    let renderer: PageRenderer
    static let perPage = 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { request, context in try await self.home(request, context) }
        router.get("/thu-tuc") { request, context in try await self.search(request, context) }
        router.get("/thu-tuc/{code}") { request, context in try await self.procedure(request, context) }
        router.get("/co-quan") { request, context in try await self.agencies(request, context) }
        router.get("/co-quan/{code}") { request, context in try await self.agency(request, context) }
    }

    func home(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = context.language
        let localizer = renderer.localizer
        let groups = try await catalogue.groupsWithCounts()
        let popular = try await catalogue.popularProcedures()
        let counts = try await catalogue.headlineCounts()
        let totals = try await counters.values()
        let number = { (value: Int64) in VietnameseText.formatNumber(value) }
        let page = HomePage(
            groups: groups.map { group, count in
                HomePage.GroupCard(
                    name: language == .english ? group.nameEnglish : group.name,
                    description: language == .english ? group.descriptionEnglish : group.description,
                    url: "/thu-tuc?nhom=\(group.slug)", count: count)
            },
            popular: popular.map { ProcedureListItem($0, language: language, localizer: localizer) },
            figures: [
                .init(label: localizer.text("figure_procedures", language), value: number(Int64(counts.procedures))),
                .init(label: localizer.text("figure_full_online", language), value: number(Int64(counts.fullyOnline))),
                .init(
                    label: localizer.text("figure_partial_online", language), value: number(Int64(counts.partlyOnline))
                ),
                .init(label: localizer.text("figure_accounts", language), value: number(totals[.accounts] ?? 0)),
                .init(
                    label: localizer.text("figure_dossiers_processed", language),
                    value: number(totals[.dossiersProcessed] ?? 0)),
                .init(label: localizer.text("figure_status_syncs", language), value: number(totals[.statusSyncs] ?? 0)),
            ])
        return try renderer.render("home", title: "home_title", page: page, request: request, context: context)
    }

    func search(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = context.language
        let localizer = renderer.localizer
        let parameters = request.formQuery
        func parameter(_ name: String) -> String? {
            parameters[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap {
                $0.isEmpty ? nil : $0
            }
        }
        let query = String((parameter("q") ?? "").prefix(200))
        let slug = parameter("nhom")
        let pageText = parameter("trang") ?? "1"
        guard let pageNumber = Int(pageText), pageNumber >= 1, pageNumber <= 10_000 else {
            throw PortalError(.badRequest, code: "invalid_page", messageKey: "error_invalid_page", field: "trang")
        }
        func choice<Value: RawRepresentable<String>>(_ name: String, _: Value.Type) throws -> Value? {
            guard let text = parameter(name) else { return nil }
            guard let value = Value(rawValue: text) else {
                throw PortalError(.badRequest, code: "invalid_filter", messageKey: "error_invalid_filter", field: name)
            }
            return value
        }
        let level = try choice("cap", AdministrativeLevel.self)
        let audience = try choice("doi-tuong", Audience.self)
        let onlineLevel = try choice("truc-tuyen", OnlineLevel.self)
        let field = parameter("linh-vuc")
        let agency = parameter("co-quan")
        var group: ProcedureGroup?
        if let slug {
            guard let found = try await catalogue.group(slug: slug) else { throw PortalError.notFound }
            group = found
        }
        let filter = ProcedureFilter(
            query: query, group: slug, field: field, agency: agency, level: level, audience: audience,
            onlineLevel: onlineLevel)
        let results = try await catalogue.search(filter, page: pageNumber, perPage: Self.perPage)
        let pageCount = max(1, (results.total + Self.perPage - 1) / Self.perPage)
        func url(_ number: Int) -> String {
            var components = URLComponents()
            components.path = "/thu-tuc"
            var items: [URLQueryItem] = []
            for (name, value) in [
                ("q", query.isEmpty ? nil : query), ("nhom", slug), ("linh-vuc", field), ("co-quan", agency),
                ("cap", level?.rawValue),
                ("doi-tuong", audience?.rawValue), ("truc-tuyen", onlineLevel?.rawValue),
            ] {
                if let value { items.append(URLQueryItem(name: name, value: value)) }
            }
            if number > 1 { items.append(URLQueryItem(name: "trang", value: String(number))) }
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? "/thu-tuc"
        }
        let summary = localizer.text(
            query.isEmpty ? "search_summary_browse" : "search_summary", language,
            ["count": VietnameseText.formatNumber(Int64(results.total)), "query": query])
        let words = TypedVietnamese.foldQuery(query).split(separator: " ").map(String.init)
        func options<Value: RawRepresentable<String> & CaseIterable & Equatable>(
            _ type: Value.Type, prefix: String, selected: Value?
        ) -> [SearchResultsPage.Option] {
            [.init(value: "", label: localizer.text("filter_any", language), selected: selected == nil)]
                + Value.allCases.map {
                    .init(
                        value: $0.rawValue, label: localizer.text("\(prefix)\($0.rawValue)", language),
                        selected: $0 == selected)
                }
        }
        let fields = try await catalogue.fields()
        let page = SearchResultsPage(
            query: query,
            fields: [.init(value: "", label: localizer.text("filter_any", language), selected: field == nil)]
                + fields.map { .init(value: $0.field, label: "\($0.field) (\($0.count))", selected: $0.field == field) },
            levels: options(AdministrativeLevel.self, prefix: "level_", selected: level),
            audiences: options(Audience.self, prefix: "audience_", selected: audience),
            onlineLevels: options(OnlineLevel.self, prefix: "online_level_", selected: onlineLevel),
            filtered: field != nil || level != nil || audience != nil || onlineLevel != nil,
            groupName: group.map { language == .english ? $0.nameEnglish : $0.name },
            groupSlug: slug,
            summary: summary,
            results: results.items.map {
                ProcedureListItem($0, language: language, localizer: localizer, highlight: words)
            },
            hasResults: !results.items.isEmpty,
            previousURL: pageNumber > 1 ? url(pageNumber - 1) : nil,
            nextURL: pageNumber < pageCount ? url(pageNumber + 1) : nil,
            pages: pageCount > 1
                ? Set([1, pageCount] + Array(pageNumber - 2...pageNumber + 2)).filter { (1...pageCount).contains($0) }
                    .sorted().map { .init(number: $0, url: url($0), current: $0 == pageNumber) } : [],
            hasPages: pageCount > 1)
        return try renderer.render("search", title: "search_title", page: page, request: request, context: context)
    }

    func procedure(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let procedure = try await catalogue.procedure(code: code) else { throw PortalError.notFound }
        let language = context.language
        let localizer = renderer.localizer
        let agencies = try await catalogue.agencies(codes: procedure.handlingAgencyCodes)
        func label(_ key: String) -> String { localizer.text(key, language) }
        var summary: [ProcedurePage.Row] = [
            .init(label: label("procedure_code"), value: procedure.code),
            .init(label: label("procedure_field"), value: procedure.field),
            .init(
                label: label("procedure_levels"),
                value: procedure.levels.map { label("level_\($0.rawValue)") }.joined(separator: ", ")),
            .init(label: label("procedure_agency"), value: procedure.implementingAgency),
            .init(
                label: label("procedure_audience"),
                value: procedure.audiences.map { label("audience_\($0.rawValue)") }.joined(separator: ", ")),
            .init(
                label: label("procedure_channels"),
                value: procedure.channels.map { label("channel_\($0.rawValue)") }.joined(separator: ", ")),
            .init(label: label("procedure_time"), value: procedure.processingTime.text),
            .init(
                label: label("procedure_fee"),
                value: procedure.fee.amount.map { $0 == 0 ? label("fee_free") : VietnameseText.formatDong($0) }
                    .map { amount in amount == procedure.fee.text ? amount : "\(amount) — \(procedure.fee.text)" }
                    ?? procedure.fee.text),
            .init(label: label("procedure_result"), value: procedure.result),
        ]
        if let decision = procedure.decision {
            summary.append(.init(label: label("procedure_decision"), value: decision))
        }
        var groups: [ProcedurePage.DocumentGroup] = []
        for document in procedure.documents {
            let item = ProcedurePage.Document(
                name: document.name, quantity: document.quantity, template: document.template)
            if let index = groups.firstIndex(where: { $0.heading == document.group }) {
                groups[index] = .init(heading: groups[index].heading, documents: groups[index].documents + [item])
            } else {
                groups.append(.init(heading: document.group, documents: [item]))
            }
        }
        var page = ProcedurePage(
            code: procedure.code,
            name: procedure.localizedName(language),
            nameLang: procedure.nameLanguage(language).rawValue,
            officialName: language == .english && procedure.nameEnglish != nil ? procedure.name : nil,
            onlineTag: label("online_level_\(procedure.onlineLevel.rawValue)"),
            onlineFull: procedure.onlineLevel == .full,
            summary: summary,
            documentGroups: groups,
            steps: procedure.steps,
            conditions: procedure.conditions,
            legalBasis: procedure.legalBasis,
            agencies: agencies.map {
                .init(name: language == .english ? ($0.nameEnglish ?? $0.name) : $0.name, url: "/co-quan/\($0.code)")
            },
            hasAgencies: !agencies.isEmpty,
            hasSteps: !procedure.steps.isEmpty,
            hasLegalBasis: !procedure.legalBasis.isEmpty,
            submitURL: procedure.onlineLevel != .none && !agencies.isEmpty ? "/thu-tuc/\(procedure.code)/nop" : nil)
        page.hotlines = try await hotlines.forAgencies(agencies.map(\.code)).map {
            HotlineController.item($0, localizer, language)
        }
        page.hasHotlines = !page.hotlines.isEmpty
        if page.submitURL != nil, let fee = procedure.feeDueAtSubmission {
            page.feeAtSubmission = localizer.text(
                "procedure_fee_at_submission", language, ["amount": VietnameseText.formatDong(fee)])
        }
        return try renderer.render(
            "procedure", title: procedure.localizedName(language), page: page, request: request, context: context)
    }

    static let agenciesPerPage = 50

    /// The agencies directory, searchable by name or identifier.
    func agencies(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = context.language
        let parameters = request.formQuery
        let query = String((parameters["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        guard let pageNumber = Int(parameters["trang"] ?? "1"), pageNumber >= 1, pageNumber <= 10_000 else {
            throw PortalError(.badRequest, code: "invalid_page", messageKey: "error_invalid_page", field: "trang")
        }
        let result = try await catalogue.agencies(
            matching: query, limit: Self.agenciesPerPage, offset: (pageNumber - 1) * Self.agenciesPerPage)
        func url(_ number: Int) -> String {
            var components = URLComponents()
            components.path = "/co-quan"
            var items = query.isEmpty ? [] : [URLQueryItem(name: "q", value: query)]
            if number > 1 { items.append(URLQueryItem(name: "trang", value: String(number))) }
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? "/co-quan"
        }
        let page = AgenciesPage(
            query: query,
            summary: renderer.localizer.text(
                "agencies_summary", language, ["count": VietnameseText.formatNumber(Int64(result.total))]),
            agencies: result.items.map {
                .init(
                    code: $0.code, name: language == .english ? ($0.nameEnglish ?? $0.name) : $0.name,
                    level: renderer.localizer.text("level_\($0.level.rawValue)", language),
                    url: "/co-quan/\($0.code)")
            },
            hasAgencies: !result.items.isEmpty,
            previousURL: pageNumber > 1 ? url(pageNumber - 1) : nil,
            nextURL: pageNumber * Self.agenciesPerPage < result.total ? url(pageNumber + 1) : nil)
        return try renderer.render("agencies", title: "agencies_title", page: page, request: request, context: context)
    }

    /// One agency with the procedures filed under it.
    func agency(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let agency = try await catalogue.agency(code: code) else { throw PortalError.notFound }
        let language = context.language
        let localizer = renderer.localizer
        let results = try await catalogue.search(ProcedureFilter(agency: agency.code), perPage: Self.perPage)
        let province = try await agency.provinceCode.asyncFlatMap { try await catalogue.province(code: $0)?.fullName }
        let page = AgencyPage(
            code: agency.code, name: language == .english ? (agency.nameEnglish ?? agency.name) : agency.name,
            level: localizer.text("level_\(agency.level.rawValue)", language), province: province,
            procedures: results.items.map { ProcedureListItem($0, language: language, localizer: localizer) },
            hasProcedures: !results.items.isEmpty,
            allLabel: localizer.text(
                "agency_procedures_all", language, ["count": VietnameseText.formatNumber(Int64(results.total))]),
            allURL: "/thu-tuc?co-quan=\(agency.code)")
        return try renderer.render(
            "agency", title: language == .english ? (agency.nameEnglish ?? agency.name) : agency.name, page: page,
            request: request, context: context)
    }

    /// Dossier lookup by code. Dossiers arrive with the dossier issue; until then every well-formed code is unknown.
}

extension Optional {
    /// `flatMap` for an asynchronous transform.
    func asyncFlatMap<Result>(_ transform: (Wrapped) async throws -> Result?) async rethrows -> Result? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
