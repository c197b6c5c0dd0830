import Foundation
import PortalCore

/// The small catalogue the portal ships so that a fresh install shows real procedures: written by the project from
/// public facts, in `Resources/demo-catalogue.json`.
public struct DemoCatalogue: Sendable {
    public let provinces: [Province]
    public let agencies: [Agency]
    public let groups: [ProcedureGroup]
    public let procedures: [Procedure]

    /// Reads the catalogue shipped in the module's resources.
    public static func bundled() throws -> DemoCatalogue {
        guard
            let url = Bundle.module.url(forResource: "demo-catalogue", withExtension: "json", subdirectory: "Resources")
        else { throw DemoCatalogueError.missingResource }
        return try DemoCatalogue(json: Data(contentsOf: url))
    }

    /// Decodes the catalogue file format (snake_case keys, see the resource).
    public init(json: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: json)
        provinces = file.provinces.map {
            Province(code: $0.code, name: $0.name, fullName: $0.full_name, type: $0.type)
        }
        agencies = file.agencies.map {
            Agency(
                code: $0.code, name: $0.name, nameEnglish: $0.name_en,
                level: AdministrativeLevel(rawValue: $0.level) ?? .central, parentCode: $0.parent,
                provinceCode: $0.province_code)
        }
        groups = file.groups.map {
            ProcedureGroup(
                slug: $0.slug, name: $0.name, nameEnglish: $0.name_en, description: $0.description,
                descriptionEnglish: $0.description_en)
        }
        procedures = try file.procedures.map { try $0.procedure() }
    }

    /// Loads the catalogue into an empty database; a database that already has procedures (demo or imported) is
    /// left alone. Returns whether anything was loaded.
    @discardableResult
    public func loadIfEmpty(into store: CatalogueStore) async throws -> Bool {
        guard try await store.isEmpty() else { return false }
        try await store.upsert(
            provinces: provinces, agencies: agencies, groups: groups, procedures: procedures, source: "demo")
        return true
    }

    // The file's shape; names follow the JSON keys.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct File: Decodable {
        struct ProvinceRow: Decodable {
            let code: String, name: String, full_name: String, type: String
        }
        struct AgencyRow: Decodable {
            let code: String, name: String, name_en: String?, level: String, parent: String?
            let province_code: String?
        }
        struct GroupRow: Decodable {
            let slug: String, name: String, name_en: String, description: String, description_en: String
        }
        let provinces: [ProvinceRow]
        let agencies: [AgencyRow]
        let groups: [GroupRow]
        let procedures: [ProcedureRow]
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct ProcedureRow: Decodable {
        struct Time: Decodable {
            let amount: Int?, unit: String?, text: String
        }
        struct FeeRow: Decodable {
            let amount: Int64?, text: String
        }
        struct Document: Decodable {
            let name: String, quantity: String?, template: String?, group: String?
        }
        let code: String, name: String, name_en: String?, group: String?, field: String, ministry: String?
        let levels: [String], implementing_agency: String, competent_agency: String
        let handling_agencies: [String]?, audience: [String], channels: [String], online_level: String?
        let legacy_level: Int?, processing_time: Time, fee: FeeRow, documents: [Document]?, steps: [String]?
        let conditions: String?, legal_basis: [String]?, result: String, result_codes: [String]?
        let decision: String?, popular: Bool?

        func procedure() throws -> Procedure {
            func parse<T: RawRepresentable<String>>(_ values: [String], as: T.Type, field: String) throws -> [T] {
                try values.map { value in
                    guard let parsed = T(rawValue: value) else {
                        throw DemoCatalogueError.badValue(procedure: code, field: field, value: value)
                    }
                    return parsed
                }
            }
            // No online channel at all is written as null.
            guard let onlineLevel = OnlineLevel(rawValue: online_level ?? OnlineLevel.none.rawValue) else {
                throw DemoCatalogueError.badValue(procedure: code, field: "online_level", value: online_level ?? "")
            }
            return Procedure(
                code: code, name: name, nameEnglish: name_en, groupSlug: group, field: field, ministryCode: ministry,
                levels: try parse(levels, as: AdministrativeLevel.self, field: "levels"),
                implementingAgency: implementing_agency, competentAgency: competent_agency,
                handlingAgencyCodes: handling_agencies ?? [],
                audiences: try parse(audience, as: Audience.self, field: "audience"),
                channels: try parse(channels, as: SubmissionChannel.self, field: "channels"),
                onlineLevel: onlineLevel, legacyLevel: legacy_level,
                processingTime: ProcessingTimeText(
                    amount: processing_time.amount, unit: processing_time.unit, text: processing_time.text),
                fee: Fee(amount: fee.amount, text: fee.text),
                documents: (documents ?? []).map {
                    RequiredDocument(name: $0.name, quantity: $0.quantity, template: $0.template, group: $0.group)
                },
                steps: steps ?? [], conditions: conditions, legalBasis: legal_basis ?? [], result: result,
                resultCodes: result_codes ?? [], decision: decision, popular: popular ?? false)
        }
    }
}

/// Why the shipped catalogue could not be read.
public enum DemoCatalogueError: Error, Sendable, CustomStringConvertible {
    case missingResource
    case badValue(procedure: String, field: String, value: String)

    public var description: String {
        switch self {
        case .missingResource:
            return "the demo catalogue resource is missing from the build"
        case .badValue(let procedure, let field, let value):
            return "demo catalogue: procedure \(procedure): \(field) has an unknown value '\(value)'"
        }
    }
}
