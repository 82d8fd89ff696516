#!/usr/bin/env python3
"""Write fixtures/xml/: IDENT responses in the ANSI/NIST-ITL 2011 / EBTS 10 XML encoding, authored
in the structure of the FBI's public EBTS 10.0 templates (synthetic values), as another system
would send them: not produced by libxml2 or by this library. Run from the project root."""
import base64
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "fixtures", "xml")
PHOTO = base64.b64encode(open(os.path.join(ROOT, "fixtures", "samples", "face-48x64.jpg"), "rb").read()).decode()

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<itl:NISTBiometricInformationExchangePackage xmlns:ebts="http://cjis.fbi.gov/fbi_ebts/10.0"
  xmlns:ansi-nist="http://niem.gov/niem/biometrics/1.0" xmlns:itl="http://biometrics.nist.gov/standard/2011"
  xmlns:nc="http://niem.gov/niem/niem-core/2.0" xmlns:j="http://niem.gov/niem/domains/jxdm/4.1">
"""


def type1(tot, records, tcn="IDENT2026011500007", tcr="TX2026011400042"):
    summary = "".join(
        "<ansi-nist:ContentRecordSummary><ansi-nist:ImageReferenceIdentification><nc:IdentificationID>%s"
        "</nc:IdentificationID></ansi-nist:ImageReferenceIdentification><ansi-nist:RecordCategoryCode>%s"
        "</ansi-nist:RecordCategoryCode></ansi-nist:ContentRecordSummary>\n" % (idc, rcc)
        for rcc, idc in records)
    return """  <itl:PackageInformationRecord>
    <ansi-nist:RecordCategoryCode>01</ansi-nist:RecordCategoryCode>
    <ansi-nist:Transaction>
      <ansi-nist:TransactionDate><nc:Date>2026-01-15</nc:Date></ansi-nist:TransactionDate>
      <ansi-nist:TransactionDestinationOrganization><nc:OrganizationIdentification>
        <nc:IdentificationID>TX0000000</nc:IdentificationID></nc:OrganizationIdentification>
      </ansi-nist:TransactionDestinationOrganization>
      <ansi-nist:TransactionOriginatingOrganization><nc:OrganizationIdentification>
        <nc:IdentificationID>USVISIT0Z</nc:IdentificationID></nc:OrganizationIdentification>
      </ansi-nist:TransactionOriginatingOrganization>
      <ansi-nist:TransactionUTCDate><nc:DateTime>2026-01-15T17:30:05Z</nc:DateTime></ansi-nist:TransactionUTCDate>
      <ansi-nist:TransactionControlIdentification><nc:IdentificationID>%s</nc:IdentificationID>
      </ansi-nist:TransactionControlIdentification>
      <ansi-nist:TransactionControlReferenceIdentification><nc:IdentificationID>%s</nc:IdentificationID>
      </ansi-nist:TransactionControlReferenceIdentification>
      <ansi-nist:TransactionImageResolutionDetails>
        <ansi-nist:NativeScanningResolutionValue>00.00</ansi-nist:NativeScanningResolutionValue>
        <ansi-nist:NominalTransmittingResolutionValue>00.00</ansi-nist:NominalTransmittingResolutionValue>
      </ansi-nist:TransactionImageResolutionDetails>
      <ansi-nist:TransactionMajorVersionValue>05</ansi-nist:TransactionMajorVersionValue>
      <ansi-nist:TransactionMinorVersionValue>00</ansi-nist:TransactionMinorVersionValue>
      <ebts:TransactionCategoryCode>%s</ebts:TransactionCategoryCode>
      <ansi-nist:TransactionContentSummary>
        <ansi-nist:ContentFirstRecordCategoryCode>1</ansi-nist:ContentFirstRecordCategoryCode>
        <ansi-nist:ContentRecordQuantity>%d</ansi-nist:ContentRecordQuantity>
%s      </ansi-nist:TransactionContentSummary>
    </ansi-nist:Transaction>
  </itl:PackageInformationRecord>
""" % (tcn, tcr, tot, len(records), summary)


def type2(inner):
    return """  <itl:PackageDescriptiveTextRecord>
    <ansi-nist:RecordCategoryCode>02</ansi-nist:RecordCategoryCode>
    <ansi-nist:ImageReferenceIdentification><nc:IdentificationID>00</nc:IdentificationID></ansi-nist:ImageReferenceIdentification>
    <itl:UserDefinedDescriptiveDetail>
      <ebts:DomainDefinedDescriptiveFields>
%s      </ebts:DomainDefinedDescriptiveFields>
    </itl:UserDefinedDescriptiveDetail>
  </itl:PackageDescriptiveTextRecord>
""" % inner


ERS_MATCH = ("IDENT Data Response (IDR)&#13;\n&#13;\nThis record is being sent for identification purposes only.&#13;\n"
             "------ MATCH -----&#13;\nEID = 1105048570&#13;\nNAME = DOE,JOHN&#13;\nDOB = 19630101&#13;\n"
             "POB = XX&#13;\nSEX = M&#13;\nPhoto Attached&#13;\n")
ERS_NOMATCH = ("IDENT Data Response (IDR)&#13;\n&#13;\nThis record is being sent for identification purposes only.&#13;\n"
               "- NO MATCH -&#13;\n")

SUBJECT = """        <ebts:RecordTransactionActivity>
          <nc:CaseTrackingID>Q880312465</nc:CaseTrackingID>
          <ebts:RecordControllingAgency><nc:OrganizationIdentification>
            <nc:IdentificationID>TX1081100</nc:IdentificationID></nc:OrganizationIdentification>
          </ebts:RecordControllingAgency>
        </ebts:RecordTransactionActivity>
        <ebts:RecordSubject>
          <ebts:PersonName><nc:PersonGivenName>JOHN</nc:PersonGivenName><nc:PersonMiddleName>Q</nc:PersonMiddleName><nc:PersonSurName>DOE</nc:PersonSurName></ebts:PersonName>
          <nc:PersonStateIdentification><nc:IdentificationID>TX07227801</nc:IdentificationID></nc:PersonStateIdentification>
        </ebts:RecordSubject>
"""


def write(name, text):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text)


def main():
    os.makedirs(OUT, exist_ok=True)
    match2 = """        <ebts:RecordRapBackData>
          <ebts:RecordRapBackCategoryCode>F</ebts:RecordRapBackCategoryCode>
        </ebts:RecordRapBackData>
        <ebts:RecordTransactionData><ebts:TransactionResponseData>
          <ebts:TransactionSearchResultsCode>I</ebts:TransactionSearchResultsCode>
          <ebts:TransactionElectronicRapSheetText>%s</ebts:TransactionElectronicRapSheetText>
        </ebts:TransactionResponseData></ebts:RecordTransactionData>
%s""" % (ERS_MATCH, SUBJECT)
    face = """  <itl:PackageFacialAndSMTImageRecord>
    <ansi-nist:RecordCategoryCode>10</ansi-nist:RecordCategoryCode>
    <ansi-nist:ImageReferenceIdentification><nc:IdentificationID>01</nc:IdentificationID></ansi-nist:ImageReferenceIdentification>
    <itl:FaceImage>
      <nc:BinaryBase64Object>%s</nc:BinaryBase64Object>
      <ansi-nist:ImageCaptureDetail>
        <ansi-nist:CaptureDate><nc:Date>2026-01-15</nc:Date></ansi-nist:CaptureDate>
        <ansi-nist:CaptureOrganization><nc:OrganizationIdentification>
          <nc:IdentificationID>USVISIT0Z</nc:IdentificationID></nc:OrganizationIdentification>
        </ansi-nist:CaptureOrganization>
      </ansi-nist:ImageCaptureDetail>
      <ansi-nist:ImageColorSpaceCode>YCC</ansi-nist:ImageColorSpaceCode>
      <ansi-nist:ImageCompressionAlgorithmText>JPEGB</ansi-nist:ImageCompressionAlgorithmText>
      <ansi-nist:ImageHorizontalLineLengthPixelQuantity>48</ansi-nist:ImageHorizontalLineLengthPixelQuantity>
      <ansi-nist:ImageHorizontalPixelDensityValue>1</ansi-nist:ImageHorizontalPixelDensityValue>
      <ansi-nist:ImageScaleUnitsCode>0</ansi-nist:ImageScaleUnitsCode>
      <ansi-nist:ImageCategoryCode>FACE</ansi-nist:ImageCategoryCode>
      <ansi-nist:ImageVerticalLineLengthPixelQuantity>64</ansi-nist:ImageVerticalLineLengthPixelQuantity>
      <ansi-nist:ImageVerticalPixelDensityValue>1</ansi-nist:ImageVerticalPixelDensityValue>
      <ansi-nist:FaceImageAcquisitionProfileCode>0</ansi-nist:FaceImageAcquisitionProfileCode>
    </itl:FaceImage>
  </itl:PackageFacialAndSMTImageRecord>
""" % "\n".join(PHOTO[i:i + 76] for i in range(0, len(PHOTO), 76))
    write("sre-match.xml", HEAD + type1("SRE", [("02", "00"), ("10", "01")]) + type2(match2) + face +
          "</itl:NISTBiometricInformationExchangePackage>\n")
    with open(os.path.join(OUT, "sre-match.xml.expect"), "w") as f:
        f.write("XML_UNKNOWN_ELEMENT\n")
    nomatch2 = """        <ebts:RecordTransactionData><ebts:TransactionResponseData>
          <ebts:TransactionSearchResultsCode>N</ebts:TransactionSearchResultsCode>
          <ebts:TransactionElectronicRapSheetText>%s</ebts:TransactionElectronicRapSheetText>
        </ebts:TransactionResponseData></ebts:RecordTransactionData>
%s""" % (ERS_NOMATCH, SUBJECT)
    write("sre-nomatch.xml", HEAD + type1("SRE", [("02", "00")]) + type2(nomatch2) +
          "</itl:NISTBiometricInformationExchangePackage>\n")
    errt2 = """        <ebts:RecordTransactionData><ebts:TransactionResponseData>
          <ebts:TransactionStatusText>L0013 DOA/DPR of [20260101] older than 7 days </ebts:TransactionStatusText>
          <ebts:TransactionStatusText>S0002 [EFTS-1031] Fingerprint 2 is amputated</ebts:TransactionStatusText>
        </ebts:TransactionResponseData></ebts:RecordTransactionData>
        <ebts:RecordTransactionActivity>
          <nc:CaseTrackingID>9163838806</nc:CaseTrackingID>
          <ebts:RecordControllingAgency><nc:OrganizationIdentification>
            <nc:IdentificationID>TX1081100</nc:IdentificationID></nc:OrganizationIdentification>
          </ebts:RecordControllingAgency>
        </ebts:RecordTransactionActivity>
"""
    write("errt.xml", HEAD + type1("ERRT", [("02", "00")]) + type2(errt2) +
          "</itl:NISTBiometricInformationExchangePackage>\n")
    print("3 XML transactions written to fixtures/xml")


if __name__ == "__main__":
    main()
