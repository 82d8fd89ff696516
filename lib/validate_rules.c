/* Validation: which rule applies to a field under a TOT. EBTS 9.1 tables generated from the
 * verification file's facts (rules_ebts91.c), EBTS 10 and ANSI/NIST-ITL 1-2011 deltas below,
 * the FBI templates' fields (rules_tmpl.c), a SIB profile's own rules first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "validate.h"

/* Code lists of the EBTS 11.2 XML IEPD (copied from its xsd:enumeration facets; the 10.0
 * IEPD's lists are the same codes): 10.040 SMT, fbi_ncic.xsd SMTCodeSimpleType (the NCIC
 * scar, mark and tattoo codes); 10.023 PAS, biom.xsd FaceImageAcquisitionCodeSimpleType (and
 * 9.1's ANALOGUE VIDEO). 10.026 SXS has no closed list: a description code, an NCIC code or text
 * (the XSD's FaceImageDescriptionAbstract), so ANS of 3-20 characters. */
static const char smt_ncic[] =
    "0RTH NAIL|0RTH PLATE|0RTH SCREW|AMBL EYE|AMBL L EYE|AMBL R EYE|ART ARM|ART BRST|"
    "ART BRSTS|ART EAR|ART ELB0W|ART EYE|ART F00T|ART HAND|ART HIP|ART KNEE|ART L ARM|"
    "ART L BRST|ART L EAR|ART L ELB|ART L EYE|ART L FT|ART L HIP|ART L HND|ART L KNE|"
    "ART L LEG|ART L SHLD|ART LARYNX|ART LEG|ART R ARM|ART R BRST|ART R EAR|ART R ELB|"
    "ART R EYE|ART R FT|ART R HIP|ART R HND|ART R KNE|ART R LEG|ART R SHLD|ART SHLD|BALD|"
    "BLIND|BLND EYE|BLND L EYE|BLND R EYE|BRA LR ARM|BRA LR LEG|BRAC ARM|BRAC L ARM|"
    "BRAC L LEG|BRAC LEG|BRAC R ARM|BRAC R LEG|BRAC TEETH|BRACE BACK|BRACE NECK|C0L0ST APP|"
    "C0N LENSES|CANE|CARD PACEM|CATA L EYE|CATA R EYE|CATARACT|CAUL EAR|CAUL L EAR|"
    "CAUL R EAR|CL LIP|CLEFT CHIN|CLEFT PAL|CR0SSEYED|CRIP ARM|CRIP F00T|CRIP FGR|CRIP HAND|"
    "CRIP L ARM|CRIP L FGR|CRIP L FT|CRIP L HND|CRIP L LEG|CRIP L T0E|CRIP LEG|CRIP R ARM|"
    "CRIP R FGR|CRIP R FT|CRIP R HND|CRIP R LEG|CRIP R T0E|CRIP T0E|CRUTCHES|DA 0THER|"
    "DA ALC0H0L|DA AMPHETA|DA BARBITU|DA C0CAINE|DA GLUE|DA HALLUCI|DA MARIJUA|DA NARC0TI|"
    "DA PAINT|DA R0HYPNL|DA RITALIN|DEAF|DEAF EAR|DEAF L EAR|DEAF MUTE|DEAF R EAR|DENT L0W|"
    "DENT UP|DENT UP L0|DEV SEPTUM|DIMP CHEEK|DIMP CHIN|DIMP FACE|DIMP L CHK|DIMP R CHK|"
    "DISC ABD0M|DISC ANKL|DISC ARM|DISC BACK|DISC BRST|DISC BUTTK|DISC CALF|DISC CHEEK|"
    "DISC CHEST|DISC CHIN|DISC EAR|DISC ELB0W|DISC EYE|DISC F ARM|DISC F00T|DISC FACE|"
    "DISC FGR|DISC FHD|DISC GR0IN|DISC HAND|DISC HEAD|DISC HIP|DISC KNEE|DISC L ANK|"
    "DISC L ARM|DISC L BRS|DISC L BUT|DISC L CHK|DISC L EAR|DISC L ELB|DISC L EYE|DISC L FGR|"
    "DISC L FT|DISC L HIP|DISC L HND|DISC L LEG|DISC L LIP|DISC L T0E|DISC L WRS|DISC LCALF|"
    "DISC LEG|DISC LFARM|DISC LIP|DISC LKNEE|DISC LSHLD|DISC LTHGH|DISC N0SE|DISC NECK|"
    "DISC PENIS|DISC R ANK|DISC R ARM|DISC R BRS|DISC R BUT|DISC R CHK|DISC R EAR|DISC R ELB|"
    "DISC R EYE|DISC R FGR|DISC R FT|DISC R HIP|DISC R HND|DISC R LEG|DISC R T0E|DISC R WRS|"
    "DISC RCALF|DISC RFARM|DISC RKNEE|DISC RSHLD|DISC RTHGH|DISC SHLD|DISC T0E|DISC THGH|"
    "DISC U LIP|DISC ULARM|DISC URARM|DISC WRIST|EAR TUBES|EXTR BRST|EXTR C NIP|EXTR C VRT|"
    "EXTR CBRST|EXTR FGR|EXTR L FGR|EXTR L NIP|EXTR L T0E|EXTR L TTH|EXTR L VRT|EXTR LBRST|"
    "EXTR NIP|EXTR R FGR|EXTR R NIP|EXTR R T0E|EXTR RBRST|EXTR T0E|EXTR TTH|EXTR U TTH|"
    "EXTR VRT|FRC ANKL|FRC ARM|FRC BACK|FRC CLAVIC|FRC ELB0W|FRC F00T|FRC FGR|FRC HAND|"
    "FRC HIP|FRC JAW|FRC KNEE|FRC L ANKL|FRC L ARM|FRC L ELB|FRC L F00T|FRC L FGR|FRC L HAND|"
    "FRC L HIP|FRC L KNEE|FRC L LEG|FRC L RIB|FRC L SHLD|FRC L T0E|FRC L WRST|FRC LCLAVI|"
    "FRC LEG|FRC LL ARM|FRC LL JAW|FRC LL LEG|FRC LPELVI|FRC LR ARM|FRC LR JAW|FRC LR LEG|"
    "FRC N0SE|FRC NECK|FRC PELVIS|FRC R ANKL|FRC R ARM|FRC R ELB|FRC R F00T|FRC R FGR|"
    "FRC R HAND|FRC R HIP|FRC R KNEE|FRC R LEG|FRC R RIB|FRC R SHLD|FRC R T0E|FRC R WRST|"
    "FRC RCLAVI|FRC RIBS|FRC RPELVI|FRC SHLD|FRC SKULL|FRC SPINE|FRC STERN|FRC T0E|"
    "FRC UL ARM|FRC UL JAW|FRC UL LEG|FRC UR ARM|FRC UR JAW|FRC UR LEG|FRC WRIST|FRECKLES|"
    "G0LD T00TH|GLASSES|GLAUC0MA|HAIR IMPL|HEAR AID|HERMAPHR|HFR ANKL|HFR ARM|HFR BACK|"
    "HFR CLAVIC|HFR ELB0W|HFR F00T|HFR FGR|HFR HAND|HFR HIP|HFR JAW|HFR KNEE|HFR L ANKL|"
    "HFR L ARM|HFR L ELB|HFR L F00T|HFR L FGR|HFR L HAND|HFR L HIP|HFR L KNEE|HFR L LEG|"
    "HFR L RIB|HFR L SHLD|HFR L T0E|HFR L WRST|HFR LCLAVI|HFR LEG|HFR LL ARM|HFR LL JAW|"
    "HFR LL LEG|HFR LPELVI|HFR LR ARM|HFR LR JAW|HFR LR LEG|HFR N0SE|HFR NECK|HFR PELVIS|"
    "HFR R ANKL|HFR R ARM|HFR R ELB|HFR R F00T|HFR R FGR|HFR R HAND|HFR R HIP|HFR R KNEE|"
    "HFR R LEG|HFR R RIB|HFR R SHLD|HFR R T0E|HFR R WRST|HFR RCLAVI|HFR RIBS|HFR RPELVI|"
    "HFR SHLD|HFR SKULL|HFR SPINE|HFR STERN|HFR T0E|HFR UL ARM|HFR UL JAW|HFR UL LEG|"
    "HFR UR ARM|HFR UR JAW|HFR UR LEG|HFR WRIST|HUMPBACKED|IMPL PENIS|INTRA R0D|IUD|"
    "M0LE ABD0M|M0LE ANKL|M0LE ARM|M0LE BACK|M0LE BRST|M0LE BUTTK|M0LE CALF|M0LE CHEST|"
    "M0LE CHIN|M0LE CHK|M0LE EAR|M0LE ELB0W|M0LE EYE|M0LE F ARM|M0LE F00T|M0LE FACE|M0LE FGR|"
    "M0LE FHD|M0LE GR0IN|M0LE HAND|M0LE HEAD|M0LE HIP|M0LE KNEE|M0LE L ANK|M0LE L ARM|"
    "M0LE L BUT|M0LE L CHK|M0LE L EAR|M0LE L ELB|M0LE L EYE|M0LE L FGR|M0LE L FT|M0LE L HIP|"
    "M0LE L HND|M0LE L KNE|M0LE L LEG|M0LE L LIP|M0LE L SHD|M0LE L T0E|M0LE L THG|M0LE L WRS|"
    "M0LE LBRST|M0LE LCALF|M0LE LEG|M0LE LFARM|M0LE LIP|M0LE N0SE|M0LE NECK|M0LE PENIS|"
    "M0LE R ANK|M0LE R ARM|M0LE R BUT|M0LE R CHK|M0LE R EAR|M0LE R ELB|M0LE R EYE|M0LE R FGR|"
    "M0LE R FT|M0LE R HIP|M0LE R HND|M0LE R KNE|M0LE R LEG|M0LE R SHD|M0LE R T0E|M0LE R THG|"
    "M0LE R WRS|M0LE RBRST|M0LE RCALF|M0LE RFARM|M0LE SHLD|M0LE T0E|M0LE THGH|M0LE U LIP|"
    "M0LE ULARM|M0LE URARM|M0LE WRS|MC 0THER|MC ACNE|MC ADD|MC ALC0H0L|MC ALLERGY|MC ALZHMRS|"
    "MC ARTHRTS|MC BEHAVI0|MC BL00D|MC CANCER|MC D0WNSYN|MC DIABTIC|MC DRUGAB|MC EATDIS|"
    "MC HEART|MC KIDNEY|MC LIVER|MC NERV0US|MC NRLGCAL|MC PARPLGC|MC PASTPRE|MC PLMNARY|"
    "MC PREGNAN|MC QUADPLG|MC SKIN|MC T0URETE|MC TB|MC THYR0ID|MISS 0VARS|MISS 0VARY|"
    "MISS ADND|MISS APPNX|MISS ARM|MISS BRST|MISS BRSTS|MISS C VRT|MISS EAR|MISS EYE|"
    "MISS F00T|MISS FGR|MISS FJT|MISS GALL|MISS HAND|MISS INTES|MISS KID|MISS L ARM|"
    "MISS L EAR|MISS L EYE|MISS L FGR|MISS L FJT|MISS L FT|MISS L HND|MISS L KID|MISS L LEG|"
    "MISS L T0E|MISS L TES|MISS L VRT|MISS L0VAR|MISS LBRST|MISS LEG|MISS LLARM|MISS LLLEG|"
    "MISS LLUNG|MISS LRARM|MISS LRLEG|MISS LRYNX|MISS LUNG|MISS N0SE|MISS PANCR|MISS PENIS|"
    "MISS PR0ST|MISS R ARM|MISS R EAR|MISS R EYE|MISS R FGR|MISS R FJT|MISS R FT|MISS R HND|"
    "MISS R KID|MISS R LEG|MISS R T0E|MISS R TES|MISS R0VAR|MISS RBRST|MISS RLUNG|MISS SPLEN|"
    "MISS ST0MA|MISS T0E|MISS T0NG|MISS T0NSL|MISS TES|MISS THYRD|MISS UTRUS|MISS VRT|MUTE|"
    "NM ANKL|NM ARM|NM BUTTK|NM CALF|NM ELB0W|NM F00T|NM FGR|NM GR0IN|NM HAND|NM HIP|NM KNEE|"
    "NM L ANKL|NM L ARM|NM L BUTTK|NM L CALF|NM L ELB|NM L F00T|NM L FGR|NM L HIP|NM L HND|"
    "NM L KNE|NM L LEG|NM L SHLD|NM L T0E|NM L THIGH|NM L WRIST|NM LEG|NM LL ARM|NM LR ARM|"
    "NM PENIS|NM R ANKL|NM R ARM|NM R BUTTK|NM R CALF|NM R ELB|NM R F00T|NM R FGR|NM R HIP|"
    "NM R HND|NM R KNE|NM R LEG|NM R SHLD|NM R T0E|NM R THIGH|NM R WRIST|NM SHLD|NM T0E|"
    "NM THIGH|NM UL ARM|NM UR ARM|NM WRIST|P0CKMARKS|PR0T JAW|PR0T L JAW|PR0T U JAW|"
    "PRCD ABDMN|PRCD BACK|PRCD CHIN|PRCD EAR|PRCD EARS|PRCD EYE|PRCD FACE|PRCD GNTLS|"
    "PRCD L EAR|PRCD L EYE|PRCD L NIP|PRCD LIP|PRCD LLIP|PRCD N0SE|PRCD NIPPL|PRCD R EAR|"
    "PRCD R EYE|PRCD R NIP|PRCD T0NGU|PRCD ULIP|RTAT ABDM|RTAT ANKL|RTAT ARM|RTAT BACK|"
    "RTAT BRST|RTAT BUTTK|RTAT CALF|RTAT CHEEK|RTAT CHEST|RTAT CHIN|RTAT EAR|RTAT ELB0W|"
    "RTAT EYE|RTAT F00T|RTAT FACE|RTAT FARM|RTAT FHD|RTAT FLB0D|RTAT FNGR|RTAT GR0IN|"
    "RTAT HAND|RTAT HEAD|RTAT HIP|RTAT KNEE|RTAT L ARM|RTAT L CHK|RTAT L EAR|RTAT L ELB|"
    "RTAT L EYE|RTAT L FGR|RTAT L HIP|RTAT L HND|RTAT L LEG|RTAT L T0E|RTAT LANKL|RTAT LBRST|"
    "RTAT LBUTK|RTAT LCALF|RTAT LEG|RTAT LF00T|RTAT LFARM|RTAT LIP|RTAT LKNEE|RTAT LSHLD|"
    "RTAT LTHGH|RTAT LWLIP|RTAT LWRS|RTAT N0SE|RTAT NECK|RTAT PENIS|RTAT R ARM|RTAT R CHK|"
    "RTAT R EAR|RTAT R ELB|RTAT R EYE|RTAT R FGR|RTAT R HIP|RTAT R HND|RTAT R LEG|RTAT R T0E|"
    "RTAT RANKL|RTAT RBRST|RTAT RBUTK|RTAT RCALF|RTAT RF00T|RTAT RFARM|RTAT RKNEE|RTAT RSHLD|"
    "RTAT RTHGH|RTAT RWRS|RTAT SHLD|RTAT T0E|RTAT THGH|RTAT ULARM|RTAT UPLIP|RTAT URARM|"
    "RTAT WRS|SC ABD0M|SC ANKL|SC ARM|SC BACK|SC BREAST|SC BUTTK|SC CALF|SC CHEST|SC CHIN|"
    "SC CHK|SC EAR|SC ELB0W|SC EYE|SC F ARM|SC F00T|SC FACE|SC FGR|SC FHD|SC GR0IN|SC HAND|"
    "SC HEAD|SC HIP|SC KNEE|SC L ANKL|SC L ARM|SC L BRST|SC L BUTTK|SC L CALF|SC L CHK|"
    "SC L EAR|SC L ELB|SC L EYE|SC L FGR|SC L FT|SC L HIP|SC L HND|SC L KNEE|SC L LEG|"
    "SC L SHLD|SC L T0E|SC L THGH|SC L WRIST|SC L0W LIP|SC LEG|SC LF ARM|SC LIP|SC N0SE|"
    "SC NECK|SC PENIS|SC R ANKL|SC R ARM|SC R BRST|SC R BUTTK|SC R CALF|SC R CHK|SC R EAR|"
    "SC R ELB|SC R EYE|SC R FGR|SC R FT|SC R HIP|SC R HND|SC R KNEE|SC R LEG|SC R SHLD|"
    "SC R T0E|SC R THGH|SC R WRIST|SC RF ARM|SC SHLD|SC T0E|SC THGH|SC UL ARM|SC UP LIP|"
    "SC UR ARM|SC WRIST|SHRT L LEG|SHRT LEG|SHRT R LEG|SHUNT ART|SHUNT CERB|SKL PLATE|"
    "SLVR T00TH|STAPLES|STUTTERS|TAT ABD0M|TAT ANKL|TAT ARM|TAT BACK|TAT BREAST|TAT BUTTK|"
    "TAT CALF|TAT CHEEK|TAT CHEST|TAT CHIN|TAT EAR|TAT ELB0W|TAT EYE|TAT F00T|TAT FACE|"
    "TAT FARM|TAT FHD|TAT FLB0DY|TAT FNGR|TAT GR0IN|TAT HAND|TAT HEAD|TAT HIP|TAT KNEE|"
    "TAT L ANKL|TAT L ARM|TAT L BRST|TAT L BUTK|TAT L CALF|TAT L CHK|TAT L EAR|TAT L EYE|"
    "TAT L F00T|TAT L FGR|TAT L HIP|TAT L HND|TAT L KNEE|TAT L LEG|TAT L SHLD|TAT L T0E|"
    "TAT L THGH|TAT L WRS|TAT LEG|TAT LELB0W|TAT LF ARM|TAT LIP|TAT LW LIP|TAT N0SE|TAT NECK|"
    "TAT PENIS|TAT R ANKL|TAT R ARM|TAT R BRST|TAT R BUTK|TAT R CALF|TAT R CHK|TAT R EAR|"
    "TAT R EYE|TAT R F00T|TAT R FGR|TAT R HIP|TAT R HND|TAT R KNEE|TAT R LEG|TAT R SHLD|"
    "TAT R T0E|TAT R THGH|TAT R WRS|TAT RELB0W|TAT RF ARM|TAT SHLD|TAT T0E|TAT THGH|"
    "TAT UL ARM|TAT UP LIP|TAT UR ARM|TAT WRS|TD 0THER|TD AC0NVUL|TD ADEPRES|TD ANALGES|"
    "TD ANTBTCS|TD ANTINFL|TD BRNCHDL|TD CARDIAC|TD HYPN0TI|TD INSULIN|TD RITALIN|TD TRANQUI|"
    "TRANSSXL|TRANSVST|TUBE L EAR|TUBE R EAR|UTAT ABDM|UTAT ANKL|UTAT ARM|UTAT BACK|"
    "UTAT BRST|UTAT BUTTK|UTAT CALF|UTAT CHEEK|UTAT CHEST|UTAT CHIN|UTAT EAR|UTAT ELB0W|"
    "UTAT F00T|UTAT FACE|UTAT FARM|UTAT FHD|UTAT FLB0D|UTAT FNGR|UTAT GR0IN|UTAT HAND|"
    "UTAT HEAD|UTAT HIP|UTAT KNEE|UTAT L ARM|UTAT L CHK|UTAT L EAR|UTAT L ELB|UTAT L FGR|"
    "UTAT L HIP|UTAT L HND|UTAT L LEG|UTAT LANKL|UTAT LBRST|UTAT LBUTK|UTAT LCALF|UTAT LEG|"
    "UTAT LF00T|UTAT LFARM|UTAT LIP|UTAT LKNEE|UTAT LSHLD|UTAT LTHGH|UTAT LWLIP|UTAT LWRS|"
    "UTAT N0SE|UTAT NECK|UTAT PENIS|UTAT R ARM|UTAT R CHK|UTAT R EAR|UTAT R ELB|UTAT R FGR|"
    "UTAT R HIP|UTAT R HND|UTAT R LEG|UTAT RANKL|UTAT RBRST|UTAT RBUTK|UTAT RCALF|UTAT RF00T|"
    "UTAT RFARM|UTAT RKNEE|UTAT RSHLD|UTAT RTHGH|UTAT RWRS|UTAT SHLD|UTAT THGH|UTAT ULAR|"
    "UTAT UPLIP|UTAT URARM|UTAT WRS|VASC PR0TH|WHEELCHAIR|WIRE SUTUR";
static const char pas_2011[] =
    "ANALOG VIDEO|DIGITAL CAMERA|DIGITAL VIDEO|OTHER|SCANNER|TYPE20|UNKNOWN PHOTO|"
    "UNKNOWN VIDEO|UNSPECIFIED|VENDOR|ANALOGUE VIDEO";

/* 1.013 DOM in ANSI/NIST-ITL 2011: DNM and DVN, ANS of any length; the FBI's EBTS 10.0 templates
 * write DVN "EBTS 10.0" (9.1's VER item had 1-5 characters) */
static const ebts__item_rule dom_2011[] = {
    {"DNM", EBTS__CT_ANS, 1, 0, NULL, NULL, EBTS__DATE_NONE, "Domain Name"},
    {"DVN", EBTS__CT_ANS, 1, 0, NULL, NULL, EBTS__DATE_NONE, "Domain Version Number"},
};

/* 10.023 PAS in 2011: the code (PAC) and, for VENDOR, a vendor description (VSD, 1-64) */
static const ebts__item_rule pas_items[] = {
    {"PAC", EBTS__CT_AS, 5, 14, pas_2011, " ", EBTS__DATE_NONE, "Photo Acquisition Source Code"},
    {"VSD", EBTS__CT_ANS, 1, 64, NULL, NULL, EBTS__DATE_NONE, "Vendor-Specific Description"},
};

/* 10.042 SMD in 2011: source, class, subclass (a code of the class's list) and description
 * text; 9.1's table has one item per class's subclass list instead */
static const ebts__item_rule smd_items[] = {
    {"SRC", EBTS__CT_A, 3, 8, "SCAR|MARK|TATTOO|CHEMICAL|BRANDED|CUT", NULL, EBTS__DATE_NONE,
     "SMT Source"},
    {"CLASS", EBTS__CT_A, 4, 8, "HUMAN|ANIMAL|PLANT|FLAG|OBJECT|ABSTRACT|SYMBOL|OTHER", NULL,
     EBTS__DATE_NONE, "SMT Class"},
    {"SUBCLASS", EBTS__CT_A, 3, 9, NULL, NULL, EBTS__DATE_NONE, "SMT Subclass"},
    {"DESCRIPTION", EBTS__CT_ANS, 1, 256, NULL, NULL, EBTS__DATE_NONE, "SMT Description"},
};

/* 10.029 SFP in 2011: feature point type (1 MPEG4, 2 anthropometric landmark), its code (MPEG4
 * "N.M", or the landmark's code), X and Y */
static const ebts__item_rule sfp_items[] = {
    {"FPT", EBTS__CT_N, 1, 1, "1|2", NULL, EBTS__DATE_NONE, "Feature Point Type"},
    {"FPC", EBTS__CT_ANS, 1, 5, NULL, ".", EBTS__DATE_NONE, "Feature Point Code"},
    {"HCX", EBTS__CT_N, 1, 5, NULL, NULL, EBTS__DATE_NONE, "Horizontal Coordinate"},
    {"HCY", EBTS__CT_N, 1, 5, NULL, NULL, EBTS__DATE_NONE, "Vertical Coordinate"},
};

/* 1.015 DCS in ANSI/NIST-ITL 2011: CSI N 1-3 (0-4, 128-999), CSN and CSV ANS 1-16 */
static const ebts__item_rule dcs_2011[] = {
    {"CSI", EBTS__CT_N, 1, 3, NULL, NULL, EBTS__DATE_NONE, "Character Set Index"},
    {"CSN", EBTS__CT_ANS, 1, 16, NULL, NULL, EBTS__DATE_NONE, "Character Set Name"},
    {"CSV", EBTS__CT_ANS, 1, 16, NULL, NULL, EBTS__DATE_NONE, "Character Set Version"},
};

const delta ebts__v_deltas[] = {
    {1, 13, -1, -1, -1, -1, -1, NULL, 0, dom_2011, 2, 0, NULL, NULL},
    {10, 23, -1, -1, -1, -1, -1, NULL, 0, pas_items, 2, 0, NULL, NULL},
    {10, 26, 3, 20, -1, -1, EBTS__CT_ANS, NULL, 0, NULL, 0, 0, NULL, NULL},
    {10, 29, -1, -1, -1, -1, -1, NULL, 0, sfp_items, 4, 0, NULL, NULL},
    {10, 42, -1, -1, -1, -1, -1, NULL, 0, smd_items, 4, 0, NULL, NULL},
    {10, 40, 3, 10, -1, -1, EBTS__CT_ANS, NULL, 0, NULL, 0, 0, smt_ncic, NULL},
    /* NAM and AKA of 50 characters (EBTS, Dec 2012); CTZ 10 occurrences; MSG optional for SRE
     * and BDECR, up to 11 as in an ERRT */
    {2, 18, 3, 50, -1, -1, -1, NULL, 0, NULL, 0, 0, NULL, NULL},
    {2, 19, 3, 50, -1, -1, -1, NULL, 0, NULL, 0, 0, NULL, NULL},
    {2, 21, -1, -1, -1, 10, -1, NULL, 0, NULL, 0, 0, NULL, NULL},
    {2, 60, -1, -1, -1, 11, -1, " SRE BDECR ", 0, NULL, 0, 0, NULL, NULL},
    {1, 15, -1, -1, -1, -1, -1, NULL, 0, dcs_2011, 3, 0, NULL, NULL},
    /* OCA: "any printable 7-bit ASCII except period; must not begin with a blank" (9.1 text) */
    {2, 9, -1, -1, -1, -1, -1, NULL, 1, NULL, 0, EBTS__FMT_NO_PERIOD | EBTS__FMT_NO_LEADING_BLANK,
     NULL, NULL},
    /* Type-10 sizes: the 9.1 file notes its Table 17 sizes count the separator (off by one);
     * ANSI/NIST-ITL 1-2011 sizes are used for both profiles */
    {10, 2, 1, 2, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 3, 4, 11, -1, -1, EBTS__CT_AS, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 4, 1, 0, -1, -1, EBTS__CT_ANS, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 6, 2, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 7, 2, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 9, 1, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 10, 1, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    /* CGA: 9.1 says A yet lists JP2 */
    {10, 11, -1, -1, -1, -1, EBTS__CT_AN, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 13, 1, 2, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 16, 1, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 17, 1, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
};

const size_t ebts__v_ndeltas = sizeof ebts__v_deltas / sizeof ebts__v_deltas[0];

/* 1.016 APS and 1.017 ANM (ANSI/NIST-ITL 2011; every EBTS 10.0 template lists APS as
 * optional: "DoD", "EBTS", "3.0"), and 2.098 NDR for the TOTs whose EBTS 10.0 template lists it
 * ("NDR 2.098 (0..10)"; 9.1 has it for RPIS alone). Checked before the 9.1 table. */
static const ebts__item_rule aps_items[] = {
    {"APO", EBTS__CT_ANS, 1, 0, NULL, NULL, EBTS__DATE_NONE, "Application Profile Organization"},
    {"APN", EBTS__CT_ANS, 1, 0, NULL, NULL, EBTS__DATE_NONE, "Application Profile Name"},
    {"APV", EBTS__CT_ANS, 1, 0, NULL, NULL, EBTS__DATE_NONE, "Application Profile Version"},
};
static const ebts__item_rule anm_items[] = {
    {"DAN", EBTS__CT_ANS, 1, 0, NULL, NULL, EBTS__DATE_NONE, "Destination Agency Name"},
    {"OAN", EBTS__CT_ANS, 1, 0, NULL, NULL, EBTS__DATE_NONE, "Originating Agency Name"},
};
const ebts__field_rule ebts__v_added_10[] = {
    {1, 16, "APS", EBTS__CT_ANS, 1, 0, 1, 99, NULL, "*", NULL, NULL, EBTS__DATE_NONE, 0, 0, NULL,
     aps_items, 3, "Application Profile Specifications"},
    {1, 17, "ANM", EBTS__CT_ANS, 1, 0, 1, 1, NULL, "*", NULL, NULL, EBTS__DATE_NONE, 0, 0, NULL,
     anm_items, 2, "Agency Names"},
    {2, 98, "NDR", EBTS__CT_N, 1, 3, 1, 10, NULL,
     " AMN CAR CPDR CPNU DEK DEU FANC FAUF FIDR FNDR FRS IRQ IRR ISR LFFS LFIS LPNQ LPNR MAP MAPC"
     " MPR NFUE NFUF NNDR SPMNT SPN TPIS ",
     NULL, NULL, EBTS__DATE_NONE, 0, 0, NULL, NULL, 0, "Name of Designated Repository"},
};
const size_t ebts__v_nadded_10 = sizeof ebts__v_added_10 / sizeof ebts__v_added_10[0];

/* Is " T.NNN " (or " T.NNN:" in an occurrence list) in the template's list? */
const char *ebts__v_tmpl_find(const char *list, unsigned rtype, unsigned field, char end)
{
    char tok[24];
    size_t n = 0;
    tok[n++] = ' ';
    n += put_dec(tok + n, rtype, 1);
    tok[n++] = '.';
    n += put_dec(tok + n, field, 3);
    tok[n++] = end;
    tok[n] = 0;
    return list ? strstr(list, tok) : NULL;
}

/* The fields ANSI/NIST-ITL requires of every transaction, whatever a template lists: Type-1
 * 1.001-1.009, 1.011, 1.012; Type-2 LEN and IDC. (The XML templates have no LEN, and a few omit
 * VER or IDC: see the test template_fields_agree_with_rules.) */
static int base_field(unsigned rtype, unsigned field)
{
    return rtype == 1 ? field <= 9 || field == 11 || field == 12 : field <= 2;
}

/* The FBI template of TOT (" CAR ") in the profile's version, or NULL. */
const ebts__tmpl_tot *ebts__v_tmpl_of(int version, const char *tot)
{
    const ebts__tmpl_tot *x = version == 112 ? ebts__tmpl_112 : version == 100 ? ebts__tmpl_100
                                                                               : NULL;
    size_t n = strlen(tot);
    for (; x && x->code; x++)
        if (strlen(x->code) == n - 2 && memcmp(x->code, tot + 1, n - 2) == 0)
            return x;
    return NULL;
}

/* The first built-in rule at or after (rtype, field): the generated table is sorted by type
 * and field (a test keeps it so); a field's TOT variants follow it in order. */
const ebts__field_rule *ebts__v_first_rule_at(unsigned rtype, unsigned field)
{
    size_t lo = 0, hi = ebts__rules_91_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ebts__field_rule *m = &ebts__rules_91[mid];
        if (m->rtype < rtype || (m->rtype == rtype && m->field < field))
            lo = mid + 1;
        else
            hi = mid;
    }
    return &ebts__rules_91[lo];
}

/* The formats the version's XSD gives the field (rules_xsd.c), over the 9.1 facts in *out. */
static void xsd_apply(int version, ebts__field_rule *out)
{
    for (const ebts__xsd_rule *x = ebts__rules_xsd; x->version; x++) {
        if (x->version != version || x->rtype != out->rtype || x->field != out->field)
            continue;
        if (x->ctype >= 0) {
            out->ctype = x->ctype;
            out->minlen = x->minlen;
            out->maxlen = x->maxlen;
            out->sca = x->sca;
        }
        if (x->values)
            out->values = x->values;
        if (x->items) {
            out->items = x->items;
            out->nitems = x->nitems;
        }
    }
}

/* The occurrences the TOT's template states for the field ("PAT 2.034 (0..10)"), over the
 * rule's: the template is the version's own fact. */
static void tmpl_occ(const V *v, unsigned rtype, unsigned field, ebts__field_rule *out)
{
    const char *o = v->tmpl ? ebts__v_tmpl_find(v->tmpl->occ, rtype, field, ':') : NULL;
    unsigned lo, hi;
    if (o && sscanf(strchr(o, ':') + 1, "%u-%u", &lo, &hi) == 2) {
        out->minocc = lo ? lo : 1;
        out->maxocc = hi;
    }
}

/* The effective rule for (rtype, field) under the TOT, or NULL; *out receives the copy. */
const ebts__field_rule *ebts__v_lookup_rules(const V *v, unsigned rtype, unsigned field,
                                             ebts__field_rule *out, int any_tot)
{
    for (size_t i = 0; i < v->p->nrules; i++) {
        const ebts__field_rule *r = &v->p->rules[i];
        if (r->rtype == rtype && r->field == field &&
            (any_tot || in_list(r->mand, v->tot) || in_list(r->opt, v->tot))) {
            *out = *r;
            return out;
        }
    }
    if (!any_tot && v->tmpl && rtype == 2 && !base_field(rtype, field) &&
        !ebts__v_tmpl_find(v->tmpl->fields, rtype, field, ' '))
        return NULL; /* the TOT's template does not carry it: not a field of this TOT (Type-1's
                        fields are the base standard's, for every TOT) */
    for (size_t i = 0; v->p->ebts10 && i < ebts__v_nadded_10; i++) {
        const ebts__field_rule *r = &ebts__v_added_10[i];
        if (r->rtype == rtype && r->field == field &&
            (any_tot || in_list(r->mand, v->tot) || in_list(r->opt, v->tot))) {
            *out = *r;
            return out;
        }
    }
    int first = 1;
    for (const ebts__field_rule *r = ebts__v_first_rule_at(rtype, field); r->rtype; r++) {
        if (r->rtype != rtype || r->field != field)
            break;
        *out = *r;
        /* the first variant's alone: 2.060 MSG's other one (LSR, RPISR) keeps 9.1's one MSG */
        for (size_t d = 0; first && d < ebts__v_ndeltas; d++) {
            const delta *x = &ebts__v_deltas[d];
            if (x->rtype != rtype || x->field != field || !(v->p->ebts10 || x->both))
                continue;
            if (x->minlen >= 0)
                out->minlen = (unsigned)x->minlen;
            if (x->maxlen >= 0)
                out->maxlen = (unsigned)x->maxlen;
            if (x->minocc >= 0)
                out->minocc = (unsigned)x->minocc;
            if (x->maxocc >= 0)
                out->maxocc = (unsigned)x->maxocc;
            if (x->ctype >= 0)
                out->ctype = x->ctype;
            if (x->add_opt && strstr(x->add_opt, v->tot))
                out->opt = "*";
            if (x->items) {
                out->items = x->items;
                out->nitems = x->nitems;
            }
            out->fmt |= x->add_fmt;
            if (x->values)
                out->values = x->values;
            if (x->sca)
                out->sca = x->sca;
        }
        xsd_apply(v->p->version, out);
        first = 0;
        if (v->p->version == 2011 && rtype == 1 && field >= 7 && field <= 10) {
            /* ANSI/NIST-ITL 1-2011: DAI, ORI ANS 1-*; TCN, TCR AN 1-* (EBTS: 9, 9, 10-40) */
            out->ctype = EBTS__CT_ANS;
            out->minlen = 1;
            out->maxlen = 0;
        }
        if (any_tot || in_list(out->mand, v->tot) || in_list(out->opt, v->tot)) {
            if (!any_tot)
                tmpl_occ(v, rtype, field, out);
            return out;
        }
    }
    if (!any_tot && v->tmpl && ebts__v_tmpl_find(v->tmpl->fields, rtype, field, ' ') &&
        ebts__v_lookup_rules(v, rtype, field, out, 1)) {
        /* the TOT's template carries the field: the field's format (the first rule that has
         * one), optional here unless the 9.1 table says more; occurrences as the template
         * states them */
        out->mand = NULL;
        out->opt = "*";
        tmpl_occ(v, rtype, field, out);
        return out;
    }
    return NULL;
}

int ebts__v_forbidden_in(const V *v, unsigned rtype, unsigned field)
{
    for (size_t i = 0; i < v->p->nforbid; i++)
        if (v->p->forbid[i].rtype == rtype && v->p->forbid[i].field == field &&
            in_list(v->p->forbid[i].tots, v->tot))
            return 1;
    return 0;
}

/* For the tests that hold the tables against the FBI's templates: is the field defined for the
 * TOT (" CAR ") under p (1 allowed, 2 mandatory, 0 not defined)? Types 1 and 2. */
int ebts__rule_status(const ebts_profile *p, const char *tot, unsigned rtype, unsigned field)
{
    V v;
    memset(&v, 0, sizeof v);
    v.p = p;
    snprintf(v.tot, sizeof v.tot, "%s", tot);
    v.tmpl = ebts__v_tmpl_of(p->version, v.tot);
    ebts__field_rule tmp;
    const ebts__field_rule *r = ebts__v_lookup_rules(&v, rtype, field, &tmp, 0);
    if (r && in_list(r->mand, v.tot))
        return 2;
    return r ? 1 : v.tmpl && ebts__v_tmpl_find(v.tmpl->fields, rtype, field, ' ') ? 1 : 0;
}

