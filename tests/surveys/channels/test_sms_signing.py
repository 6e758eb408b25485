"""The two providers' signatures against the worked examples of their documentation, and the
fake provider's independent implementation against the same examples (so the fake that
verifies our requests is itself known to be right)."""

from surveys.channels.sms.signing import aliyun_rpc_signature, percent_encode, tc3_signature
from tests.surveys.channels.fakes import aliyun_expected_signature, tencent_expected_authorization

# Aliyun SMS documentation, "签名机制" of SendSms (AccessKeyId testId, secret testSecret).
ALIYUN_DOC = {
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
    "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}  # fmt: skip
ALIYUN_DOC_SIGNATURE = "zJDF+Lrzhj/ThnlvIToysFRq6t4="

# Tencent Cloud API 3.0 documentation, "签名方法 v3" (DescribeInstances, cvm).
TC3_PAYLOAD = (
    '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
)
TC3_DOC_SIGNATURE = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def test_aliyun_rpc_signature_matches_the_documented_example():
    assert aliyun_rpc_signature(ALIYUN_DOC, "testSecret") == ALIYUN_DOC_SIGNATURE
    assert aliyun_expected_signature(ALIYUN_DOC, "testSecret") == ALIYUN_DOC_SIGNATURE


def test_aliyun_signature_leaves_an_existing_signature_out_and_changes_with_any_value():
    signed = {**ALIYUN_DOC, "Signature": "anything"}
    assert aliyun_rpc_signature(signed, "testSecret") == ALIYUN_DOC_SIGNATURE
    assert aliyun_rpc_signature({**ALIYUN_DOC, "OutId": "124"}, "testSecret") != (
        ALIYUN_DOC_SIGNATURE
    )
    assert aliyun_rpc_signature(ALIYUN_DOC, "testSecreT") != ALIYUN_DOC_SIGNATURE


def test_percent_encoding_follows_rfc_3986_as_aliyun_requires():
    assert percent_encode("a b*~") == "a%20b%2A~"
    assert percent_encode("派/=&+") == "%E6%B4%BE%2F%3D%26%2B"


def test_tc3_signature_matches_the_documented_example():
    signature, signed = tc3_signature(
        secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", service="cvm",
        host="cvm.tencentcloudapi.com", timestamp=1551113065, date="2019-02-25",
        payload=TC3_PAYLOAD,
    )  # fmt: skip
    assert (signature, signed) == (TC3_DOC_SIGNATURE, "content-type;host")


def test_the_fake_tencent_verifier_agrees_with_the_documented_example():
    headers = {
        "X-TC-Timestamp": "1551113065", "Content-Type": "application/json; charset=utf-8",
        "Host": "cvm.tencentcloudapi.com",
    }  # fmt: skip
    expected = tencent_expected_authorization(
        headers, TC3_PAYLOAD.encode(), "AKIDEXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm"
    )
    assert expected == (
        "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={TC3_DOC_SIGNATURE}"
    )
