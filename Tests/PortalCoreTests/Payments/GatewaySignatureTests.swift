import Foundation
import PortalCore
import Testing

@Suite struct GatewaySignatureTests {
    static let callback = [
        "vnp_TmnCode": "OPENDVC", "vnp_Amount": "15000000", "vnp_TxnRef": "202611291015302837465019",
        "vnp_OrderInfo": "Thanh toan ho so 000.00.61.H29-261129-0001", "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00", "vnp_BankCode": "NCB", "vnp_PayDate": "20261129101530",
        "vnp_TransactionNo": "14226112",
    ]

    /// The same bytes and HMAC-SHA512 that Python's `quote_plus` over the sorted parameters gives, the way the
    /// gateways' own sample code signs.
    @Test func theSignatureMatchesTheGatewaysReferenceComputation() {
        #expect(
            GatewaySignature.canonical(Self.callback)
                == "vnp_Amount=15000000&vnp_BankCode=NCB&vnp_OrderInfo=Thanh+toan+ho+so+000.00.61.H29-261129-0001"
                + "&vnp_PayDate=20261129101530&vnp_ResponseCode=00&vnp_TmnCode=OPENDVC&vnp_TransactionNo=14226112"
                + "&vnp_TransactionStatus=00&vnp_TxnRef=202611291015302837465019")
        #expect(
            GatewaySignature.sign(Self.callback, secret: "opendvc-sandbox-secret")
                == "25a1c16dd47f830c44dc8214de64a34a7d642fb0f93e3ca61c56d3d66dbbcc77e392ca728793fb86c01ade566c77782e"
                + "301aeb9da25df1fa1df22fdc959fbdd6")
    }

    @Test func anyChangeOrAnotherSecretBreaksIt() {
        let signed = GatewaySignature.signed(Self.callback, secret: "opendvc-sandbox-secret")
        #expect(GatewaySignature.isValid(signed, secret: "opendvc-sandbox-secret"))
        var upper = signed
        upper["vnp_SecureHash"] = upper["vnp_SecureHash"]?.uppercased()
        #expect(GatewaySignature.isValid(upper, secret: "opendvc-sandbox-secret"))
        #expect(!GatewaySignature.isValid(signed, secret: "another-secret-entirely"))
        for key in Self.callback.keys {
            var changed = signed
            changed[key] = (changed[key] ?? "") + "1"
            #expect(!GatewaySignature.isValid(changed, secret: "opendvc-sandbox-secret"), "\(key)")
        }
        var missing = signed
        missing.removeValue(forKey: "vnp_SecureHash")
        #expect(!GatewaySignature.isValid(missing, secret: "opendvc-sandbox-secret"))
    }

    @Test func queryStringsRoundTripWithEitherSpaceEncoding() {
        let query = GatewaySignature.query(Self.callback)
        #expect(query.contains("Thanh%20toan%20ho%20so"))
        #expect(GatewaySignature.parameters(query: query) == Self.callback)
        // Some gateways send form encoding, with `+` for spaces.
        let form = "vnp_OrderInfo=Thanh+toan+ho+so&vnp_Amount=100&vnp_Note=a%2Bb"
        #expect(
            GatewaySignature.parameters(query: form)
                == ["vnp_OrderInfo": "Thanh toan ho so", "vnp_Amount": "100", "vnp_Note": "a+b"])
    }
}
