import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// The public JSON catalogue: procedures, administrative units and agencies (see `openapi.yaml`).
struct CatalogueAPIController: Sendable {
    let catalogue: CatalogueStore

    func addRoutes(to router: Router<AppRequestContext>) {
        let api = router.group("/api/v1")
        api.get("/procedures") { request, _ in try await self.searchProcedures(request) }
        api.get("/procedures/{code}") { _, context in try await self.procedure(context) }
        api.get("/units/provinces") { _, _ in try await self.provinces() }
        api.get("/units/provinces/{code}/communes") { _, context in try await self.communes(context) }
        api.get("/agencies") { request, _ in try await self.agencies(request) }
    }

    func searchProcedures(_ request: Request) async throws -> Response {
        let query = APIQuery(request)
        let (page, perPage) = try query.pagination()
        let filter = ProcedureFilter(
            query: String(query["q"].prefix(200)), group: query.optional("group"), field: query.optional("field"),
            agency: query.optional("agency"), level: try query.enumeration("level", AdministrativeLevel.self),
            audience: try query.enumeration("audience", Audience.self),
            onlineLevel: try query.enumeration("online_level", OnlineLevel.self))
        let results = try await catalogue.search(filter, page: page, perPage: perPage)
        return try APIJSON.response(
            PageJSON(
                items: results.items.map { ProcedureSummaryJSON($0, agencies: results.agencyNames) },
                total: results.total,
                page: results.page, perPage: results.perPage))
    }

    func procedure(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let procedure = try await catalogue.procedure(code: code) else {
            throw PortalError(.notFound, code: "not_found", messageKey: "error_procedure_not_found", field: "code")
        }
        let agencies = try await agencyNames(for: [procedure])
        return try APIJSON.response(ProcedureJSON(procedure, agencies: agencies))
    }

    func provinces() async throws -> Response {
        let provinces = try await catalogue.provinces()
        return try APIJSON.response(ListJSON(items: provinces.map(ProvinceJSON.init), total: provinces.count))
    }

    func communes(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let province = try await catalogue.province(code: code) else {
            throw PortalError(.notFound, code: "not_found", messageKey: "error_province_not_found", field: "code")
        }
        let communes = try await catalogue.communes(provinceCode: code)
        return try APIJSON.response(
            CommuneList(province: ProvinceJSON(province), items: communes.map(CommuneJSON.init), total: communes.count))
    }

    func agencies(_ request: Request) async throws -> Response {
        let query = APIQuery(request)
        let (page, perPage) = try query.pagination()
        let result = try await catalogue.agencies(
            matching: String(query["q"].prefix(200)), limit: perPage, offset: (page - 1) * perPage)
        return try APIJSON.response(
            PageJSON(items: result.items.map(AgencyJSON.init), total: result.total, page: page, perPage: perPage))
    }

    /// The names of the agencies the procedures are filed under, by identifier.
    func agencyNames(for procedures: [Procedure]) async throws -> [String: String] {
        let codes = Set(procedures.flatMap { CatalogueStore.agencyCodes(of: $0) })
        let agencies = try await catalogue.agencies(codes: codes.sorted())
        return Dictionary(agencies.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Reads and validates query parameters, naming the parameter at fault.
struct APIQuery {
    let values: [String: String]

    init(_ request: Request) {
        values = request.formQuery
    }

    subscript(_ name: String) -> String {
        (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func optional(_ name: String) -> String? {
        let value = self[name]
        return value.isEmpty ? nil : value
    }

    func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = optional(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw PortalError(
                .badRequest, code: "invalid_parameter", messageKey: "error_parameter_\(name)", field: name)
        }
        return value
    }

    func pagination() throws -> (page: Int, perPage: Int) {
        (
            try integer("page", default: 1, range: 1...100_000),
            try integer("per_page", default: 20, range: 1...100)
        )
    }

    func enumeration<Value: RawRepresentable<String>>(_ name: String, _: Value.Type) throws -> Value? {
        guard let text = optional(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw PortalError(
                .badRequest, code: "invalid_parameter", messageKey: "error_parameter_\(name)", field: name)
        }
        return value
    }
}

/// Encodes API bodies the same way everywhere.
enum APIJSON {
    static func response(_ body: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }
}
