import Foundation
import Hummingbird
import PortalCore
import PortalStore

extension StatisticsController {
    /// `/thong-ke?tu=YYYY-MM-DD&den=YYYY-MM-DD&co-quan=…`: the whole portal, or one agency's procedures.
    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = context.language
        let localizer = renderer.localizer
        let query = request.formQuery
        func t(_ key: String) -> String { localizer.text(key, language) }
        var errors: [FieldErrorItem] = []
        var period: Period
        do {
            period = try Self.period(query, fromField: "tu", toField: "den")
        } catch let error as PortalError {
            errors.append(FieldErrorItem(field: error.field ?? "tu", message: t(error.messageKey)))
            period = try Self.period([:], fromField: "tu", toField: "den")
        }
        var agencyCode = (query["co-quan"] ?? "").trimmingCharacters(in: .whitespaces)
        if !agencyCode.isEmpty, (try? AgencyIdentifier(validating: agencyCode)) == nil {
            errors.append(FieldErrorItem(field: "co-quan", message: t("stats_error_agency")))
            agencyCode = ""
        }
        let agency = agencyCode.isEmpty ? nil : agencyCode

        let summary = try await statistics.summary(unflushedHits: hits.unflushed)
        let ranking = try await statistics.agencies(from: period.from, to: period.to)
        let days = try await statistics.daily(agency: agency, from: period.from, to: period.to)
        let statuses = try await statistics.statusCounts()
        var total = StatisticsFigures()
        for (_, figures) in days { total.add(figures) }
        let number = StatisticsFormat.number
        let percent = { (ratio: Ratio) in StatisticsFormat.percent(ratio, language) }

        let figures: [StatisticsPage.Figure] = [
            .init(label: t("figure_accounts"), value: number(summary.accounts)),
            .init(label: t("stats_hits"), value: number(summary.hits)),
            .init(label: t("figure_status_syncs"), value: number(summary.statusSyncs)),
            .init(label: t("figure_dossiers_processed"), value: number(summary.dossiersProcessed)),
            .init(label: t("figure_full_online"), value: number(summary.servicesFull)),
            .init(label: t("figure_partial_online"), value: number(summary.servicesPartial)),
            .init(label: t("stats_agencies_syncing"), value: number(summary.agenciesSyncing)),
        ]
        let periodFigures: [StatisticsPage.Figure] = [
            .init(label: t("stats_received"), value: number(total.received)),
            .init(label: t("stats_online_share"), value: percent(total.onlineShare)),
            .init(label: t("stats_finished_early"), value: number(total.finishedEarly)),
            .init(label: t("stats_finished_on_time"), value: number(total.finishedOnTime)),
            .init(label: t("stats_finished_late"), value: number(total.finishedLate)),
            .init(label: t("stats_on_time_rate"), value: percent(total.onTimeRate)),
            .init(label: t("stats_open_within"), value: number(total.openWithinDeadline)),
            .init(label: t("stats_open_past"), value: number(total.openPastDeadline)),
            .init(label: t("stats_supplement_rate"), value: percent(total.supplementRate)),
            .init(label: t("stats_average_days"), value: StatisticsFormat.optional(total.averageWorkingDays, language)),
            .init(label: t("stats_average_rating"), value: StatisticsFormat.optional(total.averageRating, language)),
        ]

        var charts: [StatisticsPage.Chart] = []
        let months = Self.months(days, period: period)
        charts.append(
            Self.chart(
                id: "chart-received", title: t("stats_chart_received"),
                headers: [t("stats_month"), t("stats_received")],
                bars: months.map {
                    .init(label: $0.label, value: Double($0.figures.received), text: number($0.figures.received))
                },
                columns: true))
        charts.append(
            Self.chart(
                id: "chart-on-time", title: t("stats_chart_on_time"),
                headers: [t("stats_month"), t("stats_on_time_rate")],
                bars: months.map {
                    .init(
                        label: $0.label, value: ($0.figures.onTimeRate.value ?? 0) * 100,
                        text: percent($0.figures.onTimeRate))
                }, columns: true, maximum: 100))
        charts.append(
            Self.chart(
                id: "chart-status", title: t("stats_chart_status"), headers: [t("stats_status"), t("stats_dossiers")],
                bars: DossierStatus.allCases.map { status in
                    let count = statuses[status] ?? 0
                    return .init(
                        label: language == .english ? status.nameEn : status.nameVi,
                        value: Double(count), text: number(count))
                }, columns: false))
        if agency == nil {
            charts.append(
                Self.chart(
                    id: "chart-agencies", title: t("stats_chart_agencies"),
                    headers: [t("stats_agency"), t("stats_on_time_rate")],
                    bars: ranking.prefix(10).map {
                        .init(
                            label: $0.agencyName, value: ($0.figures.onTimeRate.value ?? 0) * 100,
                            text: percent($0.figures.onTimeRate))
                    }, columns: false, maximum: 100))
        }

        let decimal = { (value: Double?) in StatisticsFormat.optional(value, language) }
        let periodQuery = "tu=\(period.from.description)&den=\(period.to.description)"
        let agencies = ranking.prefix(50).map { row in
            StatisticsPage.AgencyRow(
                rank: row.rank, name: row.agencyName,
                url:
                    "/thong-ke?\(periodQuery)&co-quan=\(row.agencyCode.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "."))) ?? "")",
                received: number(row.figures.received), onlineShare: percent(row.figures.onlineShare),
                onTimeRate: percent(row.figures.onTimeRate), finishedLate: number(row.figures.finishedLate),
                openPastDeadline: number(row.figures.openPastDeadline),
                averageWorkingDays: decimal(row.figures.averageWorkingDays),
                averageRating: decimal(row.figures.averageRating))
        }
        var procedures: [StatisticsPage.ProcedureRow] = []
        var agencyName: String?
        if let agency {
            agencyName = ranking.first { $0.agencyCode == agency }?.agencyName ?? agency
            procedures = try await statistics.procedures(agency: agency, from: period.from, to: period.to).prefix(100)
                .map { row in
                    StatisticsPage.ProcedureRow(
                        code: row.procedureCode, name: row.procedureName, url: "/thu-tuc/\(row.procedureCode)",
                        received: number(row.figures.received), onTimeRate: percent(row.figures.onTimeRate),
                        openPastDeadline: number(row.figures.openPastDeadline),
                        supplementRate: percent(row.figures.supplementRate),
                        averageWorkingDays: decimal(row.figures.averageWorkingDays))
                }
        }
        let services = try await statistics.servicesByField().prefix(15).map {
            StatisticsPage.Row(cells: [$0.field, number($0.full), number($0.partial)])
        }
        let page = StatisticsPage(
            from: errors.contains { $0.field == "tu" }
                ? String((query["tu"] ?? "").prefix(20)) : period.from.description,
            to: errors.contains { $0.field == "den" } ? String((query["den"] ?? "").prefix(20)) : period.to.description,
            agency: agencyCode, agencyName: agencyName,
            errors: errors, figures: figures, period: periodFigures, charts: charts, agencies: Array(agencies),
            procedures: procedures, services: Array(services),
            asOf: try await statistics.refreshedAt().flatMap { DossierViews.dateTime($0) },
            jsonURL: "/api/v1/stats/agencies?from=\(period.from.description)&to=\(period.to.description)",
            csvURL: "/api/v1/stats/agencies.csv?from=\(period.from.description)&to=\(period.to.description)",
            hasErrors: !errors.isEmpty, hasAgencies: !agencies.isEmpty, hasProcedures: !procedures.isEmpty)
        return try renderer.render(
            "statistics", title: "stats_title", page: page, request: request, context: context,
            status: errors.isEmpty ? .ok : .badRequest, hasErrors: !errors.isEmpty)
    }

    /// The days' figures by month (or by year for periods over two years), every month of the period present.
    static func months(_ days: [(day: LocalDate, figures: StatisticsFigures)], period: Period)
        -> [(label: String, figures: StatisticsFigures)]
    {
        let monthCount = (period.to.year - period.from.year) * 12 + period.to.month - period.from.month + 1
        let byYear = monthCount > 24
        func key(_ date: LocalDate) -> Int { byYear ? date.year : date.year * 12 + date.month - 1 }
        var sums: [Int: StatisticsFigures] = [:]
        for (day, figures) in days { sums[key(day), default: StatisticsFigures()].add(figures) }
        return (key(period.from)...key(period.to)).map { key in
            let label = byYear ? String(key) : String(format: "%02d/%d", key % 12 + 1, key / 12)
            return (label, sums[key] ?? StatisticsFigures())
        }
    }

    static func chart(
        id: String, title: String, headers: [String], bars: [SVGChart.Bar], columns: Bool, maximum: Double? = nil
    ) -> StatisticsPage.Chart {
        StatisticsPage.Chart(
            id: id, title: title,
            svg: columns
                ? SVGChart.columns(id: id, title: title, bars: bars, maximum: maximum)
                : SVGChart.rows(id: id, title: title, bars: bars, maximum: maximum),
            headers: headers, rows: bars.map { StatisticsPage.Row(cells: [$0.label, $0.text]) },
            empty: bars.allSatisfy { $0.value == 0 })
    }
}
