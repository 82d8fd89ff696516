/* Validation: EBTS rules for Types 1, 2 and 10 (EBTS 9.1 tables generated from the
 * verification file's facts, EBTS 10 deltas below), record make-up per TOT, IDCs, field order,
 * 2.075 line length, and Type-10 images against their header fields. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* EBTS 10 (and ANSI/NIST-ITL 1-2011) changes to the 9.1 rules. -1 = unchanged. */
typedef struct delta {
    unsigned rtype, field;
    int minlen, maxlen, minocc, maxocc, ctype;
    const char *add_opt; /* TOTs for which the field becomes optional */
    int both;            /* also for ebts-9.1: a correction, not a change */
    const ebts__item_rule *items;
    size_t nitems;
    unsigned add_fmt;
    const char *values, *sca; /* NULL: unchanged */
} delta;

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

static const delta deltas[] = {
    {1, 13, -1, -1, -1, -1, -1, NULL, 0, dom_2011, 2, 0, NULL, NULL},
    {10, 23, -1, -1, -1, -1, -1, NULL, 0, pas_items, 2, 0, NULL, NULL},
    {10, 26, 3, 20, -1, -1, EBTS__CT_ANS, NULL, 0, NULL, 0, 0, NULL, NULL},
    {10, 29, -1, -1, -1, -1, -1, NULL, 0, sfp_items, 4, 0, NULL, NULL},
    {10, 42, -1, -1, -1, -1, -1, NULL, 0, smd_items, 4, 0, NULL, NULL},
    {10, 40, 3, 10, -1, -1, EBTS__CT_ANS, NULL, 0, NULL, 0, 0, smt_ncic, NULL},
    {2, 18, 3, 50, -1, -1, -1, NULL, 0, NULL, 0, 0, NULL, NULL},           /* NAM 50 characters (EBTS, Dec 2012) */
    {2, 19, 3, 50, -1, -1, -1, NULL, 0, NULL, 0, 0, NULL, NULL},           /* AKA */
    {2, 21, -1, -1, -1, 10, -1, NULL, 0, NULL, 0, 0, NULL, NULL},          /* CTZ 10 occurrences */
    {2, 60, -1, -1, -1, 11, -1, " SRE BDECR ", 0, NULL, 0, 0, NULL, NULL}, /* MSG optional for SRE, BDECR */
    {1, 15, -1, -1, -1, -1, -1, NULL, 0, dcs_2011, 3, 0, NULL, NULL},
    /* OCA: "any printable 7-bit ASCII except period; must not begin with a blank" (9.1 text) */
    {2, 9, -1, -1, -1, -1, -1, NULL, 1, NULL, 0, EBTS__FMT_NO_PERIOD | EBTS__FMT_NO_LEADING_BLANK, NULL, NULL},
    /* Type-10 sizes: the 9.1 file notes its Table 17 sizes count the separator (off by one);
     * ANSI/NIST-ITL 1-2011 sizes are used for both profiles */
    {10, 2, 1, 2, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 3, 4, 11, -1, -1, EBTS__CT_AS, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 4, 1, 0, -1, -1, EBTS__CT_ANS, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 6, 2, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 7, 2, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 9, 1, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 10, 1, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 11, -1, -1, -1, -1, EBTS__CT_AN, NULL, 1, NULL, 0, 0, NULL, NULL}, /* CGA: 9.1 says A yet lists JP2 */
    {10, 13, 1, 2, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 16, 1, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
    {10, 17, 1, 5, -1, -1, -1, NULL, 1, NULL, 0, 0, NULL, NULL},
};

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
static const ebts__field_rule added_10[] = {
    {1, 16, "APS", EBTS__CT_ANS, 1, 0, 1, 99, NULL, "*", NULL, NULL, EBTS__DATE_NONE, 0, 0, NULL,
     aps_items, 3, "Application Profile Specifications"},
    {1, 17, "ANM", EBTS__CT_ANS, 1, 0, 1, 1, NULL, "*", NULL, NULL, EBTS__DATE_NONE, 0, 0, NULL,
     anm_items, 2, "Agency Names"},
    {2, 98, "NDR", EBTS__CT_N, 1, 3, 1, 10, NULL,
     " AMN CAR CPDR CPNU DEK DEU FANC FAUF FIDR FNDR FRS IRQ IRR ISR LFFS LFIS LPNQ LPNR MAP MAPC"
     " MPR NFUE NFUF NNDR SPMNT SPN TPIS ",
     NULL, NULL, EBTS__DATE_NONE, 0, 0, NULL, NULL, 0, "Name of Designated Repository"},
};

/* Record make-up EBTS 10 changes: the TOTs whose EBTS 10.0 template holds an iris record
 * (itl:PackageIrisImageRecord) take Type-17, one per eye. */
static const char iris_10[] = " AMN CAR CNA CPDR CPNU DEK DEU DOCE EMUF FANC FAUF FNDR MAP MAPC MPR"
                              " NFUE NFUF NNDR ";

/* TOTs EBTS 10 adds to 9.1's (fbi_ebts.xsd TOTCodeSimpleType); no make-up or Type-2 rules. */
static const char ebts10_tots[] =
    " BATQ BATR BDEC BDECR BDEL BDELR CDEL CDELR DSPE DSPR ERRB ERRR FDSP FIDR FRS FVR IIDS IIIS"
    " RBIHS RBIHSR RBMNT RBMNTR RBN RBRN RBRPT RBRPTR RBSCRM RBSCVL RBSR SPMNT SPMNTR SPN SRB SRNR"
    " SRNRR TXTSRCH UBM UHN UUBD XACT XACTR XMNT XMNTR ";

/* ANSI/NIST-ITL 1-1986 to 1-2011 (0500), its Updates 2013 (0501) and 2015 (0502), 1-2025 (0600) */
static const char *const known_ver[] = {"0200", "0201", "0300", "0400", "0500",
                                        "0501", "0502", "0600"};

#define VSET_MAX 128u
typedef ebts__run16 run16; /* the class's run for sixteen bytes at a time (simd.h) */

/* A rule for values (a field's, or one of its items'), made ready once for the many values it
 * checks: the class's table and run are looked up here, not per value. */
typedef struct chk {
    const unsigned char *ok; /* NULL: no table of the profile's (check_text builds one) */
    uint64_t sub, add;       /* the table's run (class_run) */
    run16 r16;               /* the same for SSE2 (made once per class: struct cset) */
    int ct, date;            /* date: items only (a field's date rule is checked by the field) */
    int high;                /* bytes above 0x7F allowed (class_table) */
    int date_only;           /* a valid date passes every other check too (check_field) */
    unsigned minlen, maxlen;
    size_t lo, span;         /* the length is wrong when len - lo > span (one unsigned test) */
    const char *values, *sca, *imnem;
    const struct vset *vs;   /* values split (vset_of), or NULL: the list is scanned */
} chk;

/* The 7-bit bytes a (class, special characters) pair allows, for text of 7-bit bytes (high 0)
 * or text that may hold bytes above 0x7F (high 1): made when the profile is loaded. */
struct cset {
    const char *sca;
    int ct, high, valid;
    int digits;               /* the class allows 0-9 */
    uint64_t sub, add;        /* the longest run of bytes the class allows: see class_run() */
    run16 r16;                /* the same for SSE2 */
    const unsigned char *ok;  /* 1 where the class allows the byte */
};

/* A value set split once: each value's place and length in the list, and a small hash table of
 * them. */
struct vset {
    unsigned n; /* VSET_MAX + 1: too many values, scanned instead */
    unsigned short off[VSET_MAX];
    unsigned char len[VSET_MAX];
    uint64_t head[VSET_MAX]; /* each value's first bytes (value_head) */
    unsigned char at[2 * VSET_MAX]; /* open addressing by value_hash: entry + 1, 0 empty */
};

/* Per record type, the built-in rules' fields that may be mandatory, in table order: found once
 * per TOT, not per record (a rule that depends on the record's IMT is asked per record). */
struct reqlist {
    unsigned type;
    int valid;
    struct reqf {
        unsigned field;
        unsigned char imt, star; /* star: mandatory for every TOT (no "for TOT" reason) */
    } *f;
    size_t n;
};

/* What lookup_rules() answers for one (type, field) under one TOT: the rule, whether the field
 * is mandatory (-1: it depends on the record's IMT, asked per record; or any_tot), and the rule's
 * checks per high (the field's for a rule without items, else one per item rule up to
 * CHK_ITEMS). */
struct centry {
    int found, required;
    ebts__field_rule rule;
    const chk *ck[2];
};

/* The answers for one TOT (" SRE "), or for any TOT: made by the first validation of a
 * transaction of that TOT and never changed after. */
typedef struct totc {
    char tot[24];
    struct centry *e; /* per key (ebts__vcomp.key_id) */
    chk *pool;
    const ebts__tmpl_tot *tmpl; /* tmpl_of() */
    struct reqlist req[3]; /* Types 1, 2 and 10 */
    unsigned char tmpl_rec[100]; /* record types the TOT's template holds (check_makeup) */
} totc;

#define TOT_SLOTS 128u

/* A profile's validation tables: made when it is loaded (ebts__profile_compile) and read-only
 * after, but for the TOTs' tables, each made once and published atomically (totc_of). */
struct ebts__vcomp {
    struct cset *csets; /* open addressing by (class, specials, high); ncsets a power of two */
    size_t ncsets;
    unsigned char (*cset_ok)[256];
    const char **vset_key; /* open addressing by the list's address, to vsets[vset_at[slot]] */
    unsigned *vset_at;
    size_t nvslots;
    struct vset *vsets;
    uint32_t *keys; /* (rtype << 16 | field) + 1 of every field a rule names; 0 empty */
    uint32_t *key_id;
    size_t nkslots, nkeys;
    _Atomic(totc *) any;
    _Atomic(totc *) tots[TOT_SLOTS];
};

typedef struct V {
    const ebts_txn *t;
    const unsigned char *in, *in16; /* the input; sixteen bytes can be read from in..in16 */
    const ebts_profile *p;
    const struct ebts__vcomp *vc; /* the profile's tables, or NULL: every lookup is computed */
    const totc *tc, *tca; /* the TOT's answers and any TOT's, or NULL: computed */
    ebts__dlist *dl;
    char tot[24];                /* " SRE " */
    const ebts__tot_rule *totr;  /* NULL if the TOT has no 9.1 rules */
    const ebts__tmpl_tot *tmpl;  /* the TOT's FBI template (ebts-10, ebts-11), or NULL */
    int tot_known;
    uint32_t *ix; /* the index of the field being checked, for a value that was read */
    size_t ixcap;
    int ascii7; /* 1.015 DCS declares no character set but 7-bit ASCII */
    int ident;  /* an SRE from IDENT (1.008 ORI USVISIT0Z) */
    char why[48]; /* "for TOT SRE" */
} V;
#define CHK_ITEMS 16u /* item rules made ready per field; checks of later items are made per item */

static int in_list(const char *list, const char *tot)
{
    return list && (strcmp(list, "*") == 0 || strstr(list, tot) != NULL);
}

static int span_is(ebts_span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

/* Is p[0..n) one of the '|'-separated values? One pass over the list, no library calls: it runs
 * for every item with a value set. */
static int in_values(const char *values, const unsigned char *p, size_t n)
{
    const char *v = values;
    while (v && *v) {
        size_t k = 0;
        while (k < n && v[k] != '|' && v[k] && v[k] == (char)p[k])
            k++;
        if (k == n && (v[k] == '|' || !v[k]))
            return 1;
        while (v[k] && v[k] != '|')
            k++;
        v = v[k] ? v + k + 1 : NULL;
    }
    return 0;
}

/* A value's first eight bytes (fewer: zero above them) as a number, read at once when wide says
 * eight bytes from p may be read. Built-in codes are short: for most values it is the value. */
static EBTS__HOT uint64_t value_head(const unsigned char *p, size_t n, int wide)
{
    uint64_t w = 0;
    if (wide) {
        memcpy(&w, p, 8);
        if (n < 8) /* the bytes past the value are zero, whichever byte order */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            w = n ? w >> (64 - 8 * n) << (64 - 8 * n) : 0;
#else
            w &= ((uint64_t)1 << (8 * n)) - 1u;
#endif
        return w;
    }
    memcpy(&w, p, n < 8 ? n : 8);
    return w;
}

/* A value's place in a split list's hash table, from its length and first bytes */
static EBTS__HOT unsigned value_hash(uint64_t head, size_t n)
{
    uint64_t h = (head ^ (uint64_t)n << 59) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> 56) % (2 * VSET_MAX);
}

/* Split the list into e: each value's place, length and first bytes, and a hash table of them */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void vset_split(struct vset *e, const char *values)
{
    e->n = 0;
    for (const char *x = values; e->n <= VSET_MAX;) {
        size_t l = strcspn(x, "|");
        if (e->n == VSET_MAX || l > 255 || (size_t)(x - values) > 65535) {
            e->n = VSET_MAX + 1;
            break;
        }
        if (l == 0 && !x[l])
            break; /* as in_values: an empty last value (list "" or "A|") is none */
        e->off[e->n] = (unsigned short)(x - values);
        e->head[e->n] = value_head((const unsigned char *)x, l, 0);
        e->len[e->n++] = (unsigned char)l;
        if (!x[l])
            break;
        x += l + 1;
    }
    memset(e->at, 0, sizeof e->at);
    for (unsigned i = 0; e->n <= VSET_MAX && i < e->n; i++) {
        unsigned h = value_hash(e->head[i], e->len[i]);
        while (e->at[h]) /* at most VSET_MAX of 2 * VSET_MAX places taken */
            h = (h + 1) % (2 * VSET_MAX);
        e->at[h] = (unsigned char)(i + 1);
    }
}

/* The slot of a list's address in a table of n (a power of two) */
static EBTS__HOT size_t ptr_slot(const void *ptr, size_t n)
{
    return (size_t)(((uint64_t)(uintptr_t)ptr * 0x9e3779b97f4a7c15ull) >> 40) & (n - 1);
}

/* The split form of the list, NULL when the profile has none (it was made for every list its
 * rules name) */
static EBTS__HOT const struct vset *vset_of(const struct ebts__vcomp *c, const char *values)
{
    if (!c)
        return NULL;
    size_t slot = ptr_slot(values, c->nvslots);
    while (c->vset_key[slot] && c->vset_key[slot] != values)
        slot = (slot + 1) & (c->nvslots - 1);
    return c->vset_key[slot] ? &c->vsets[c->vset_at[slot]] : NULL;
}

/* in_values() through e, the split form of the list (vset_split; the longest built-in list has
 * 71 values), when there is one. wide: as value_head. */
static EBTS__HOT int in_value_set(const struct vset *e, const char *values,
                                  const unsigned char *p, size_t n, int wide)
{
    if (!e || e->n > VSET_MAX)
        return in_values(values, p, n);
    uint64_t head = value_head(p, n, wide);
    for (unsigned h = value_hash(head, n); e->at[h]; h = (h + 1) % (2 * VSET_MAX)) {
        unsigned i = e->at[h] - 1u;
        if (e->head[i] != head || e->len[i] != n)
            continue;
        if (n <= 8 || memcmp(values + e->off[i] + 8, p + 8, n - 8) == 0)
            return 1;
    }
    return 0;
}

/* Not text in any character set: C0 controls but the FBI's 7-13 (BEL to CR), and DEL.
 * 0x1C-0x1F are the separators, never inside a value. */
static int is_control(unsigned char c)
{
    return (c < 0x20 && (c < 7 || c > 13)) || c == 0x7f;
}

/* n in decimal at d, at least min digits (as printf's %0*u): the count written */
static size_t put_dec(char *d, unsigned n, size_t min)
{
    char t[12];
    size_t k = 0;
    do
        t[k++] = (char)('0' + n % 10);
    while ((n /= 10) != 0 || k < min);
    for (size_t i = 0; i < k; i++)
        d[i] = t[k - 1 - i];
    return k;
}

/* Is " T.NNN " (or " T.NNN:" in an occurrence list) in the template's list? */
static const char *tmpl_find(const char *list, unsigned rtype, unsigned field, char end)
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
static const ebts__tmpl_tot *tmpl_of(int version, const char *tot)
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
static const ebts__field_rule *first_rule_at(unsigned rtype, unsigned field)
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

/* The effective rule for (rtype, field) under the TOT, or NULL; *out receives the copy. */
static const ebts__field_rule *lookup_rules(const V *v, unsigned rtype, unsigned field,
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
        !tmpl_find(v->tmpl->fields, rtype, field, ' '))
        return NULL; /* the TOT's template does not carry it: not a field of this TOT (Type-1's
                        fields are the base standard's, for every TOT) */
    for (size_t i = 0; v->p->ebts10 && i < sizeof added_10 / sizeof added_10[0]; i++) {
        const ebts__field_rule *r = &added_10[i];
        if (r->rtype == rtype && r->field == field &&
            (any_tot || in_list(r->mand, v->tot) || in_list(r->opt, v->tot))) {
            *out = *r;
            return out;
        }
    }
    int first = 1;
    for (const ebts__field_rule *r = first_rule_at(rtype, field); r->rtype; r++) {
        if (r->rtype != rtype || r->field != field)
            break;
        *out = *r;
        for (size_t d = 0; first && d < sizeof deltas / sizeof deltas[0]; d++) {
            const delta *x = &deltas[d];
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
        first = 0;
        if (v->p->version == 2011 && rtype == 1 && field >= 7 && field <= 10) {
            /* ANSI/NIST-ITL 1-2011: DAI, ORI ANS 1-*; TCN, TCR AN 1-* (EBTS: 9, 9, 10-40) */
            out->ctype = EBTS__CT_ANS;
            out->minlen = 1;
            out->maxlen = 0;
        }
        if (any_tot || in_list(out->mand, v->tot) || in_list(out->opt, v->tot))
            return out;
    }
    if (!any_tot && v->tmpl && tmpl_find(v->tmpl->fields, rtype, field, ' ') &&
        lookup_rules(v, rtype, field, out, 1)) {
        /* the TOT's template carries the field: the field's format (the first rule that has
         * one), optional here unless the 9.1 table says more; occurrences as the template
         * states them */
        out->mand = NULL;
        out->opt = "*";
        const char *o = tmpl_find(v->tmpl->occ, rtype, field, ':');
        unsigned lo, hi;
        if (o && sscanf(strchr(o, ':') + 1, "%u-%u", &lo, &hi) == 2) {
            out->minocc = lo ? lo : 1;
            out->maxocc = hi;
        }
        return out;
    }
    return NULL;
}

/* The key's place in the profile's list of fields that rules name: -1 when no rule names it
 * (no TOT has a rule for it), -2 when it cannot be a key. */
static EBTS__HOT long key_id(const struct ebts__vcomp *c, unsigned rtype, unsigned field)
{
    if (rtype > 0xffff || field > 0x7fff)
        return -2;
    uint32_t key = (rtype << 16 | field) + 1;
    size_t slot = (size_t)((key * 0x9e3779b1u) >> 16) & (c->nkslots - 1);
    while (c->keys[slot] && c->keys[slot] != key)
        slot = (slot + 1) & (c->nkslots - 1);
    return c->keys[slot] ? (long)c->key_id[slot] : -1;
}

/* The rule, in the TOT's table or, without one, computed into *out; *mp (when asked) the
 * table's entry, or NULL. */
static EBTS__HOT const ebts__field_rule *lookup(const V *v, unsigned rtype, unsigned field,
                                                ebts__field_rule *out, int any_tot,
                                                const struct centry **mp)
{
    const totc *t = any_tot ? v->tca : v->tc;
    long id = t ? key_id(v->vc, rtype, field) : -2;
    if (mp)
        *mp = id >= 0 ? &t->e[id] : NULL;
    if (id == -2)
        return lookup_rules(v, rtype, field, out, any_tot);
    return id >= 0 && t->e[id].found ? &t->e[id].rule : NULL;
}

static int forbidden(const V *v, unsigned rtype, unsigned field)
{
    for (size_t i = 0; i < v->p->nforbid; i++)
        if (v->p->forbid[i].rtype == rtype && v->p->forbid[i].field == field &&
            in_list(v->p->forbid[i].tots, v->tot))
            return 1;
    return 0;
}

#define DIAG(v, code, off, rec, rt, fld, sub, item, ...)                                          \
    ebts__diag_add((v)->dl, code, off, rec, rt, fld, sub, item, __VA_ARGS__)

static size_t off_of(const V *v, const ebts_field *f, ebts_span s)
{
    if (s.ptr && v->t->buf && s.ptr >= v->t->buf && s.ptr <= v->t->buf + v->t->len)
        return (size_t)(s.ptr - v->t->buf);
    size_t o = ebts_field_offset(f);
    return o == (size_t)-1 ? 0 : o;
}

static const char *ctype_name(int ct)
{
    static const char *const n[] = {"A", "N", "AN", "ANS", "AS", "NS", "B"};
    return ct >= 0 && ct <= 6 ? n[ct] : "?";
}

/* Which bytes character type ct with special characters sca allows, as a 256-byte table: the
 * class's ranges, then its specials ("PRINT": every printable byte and 7-13, the FBI's "codes
 * 7-13 and 32-127" of user-defined text). Bytes above 0x7F only where high says so: a free-text
 * field outside Type-1 when 1.015 DCS declares a character set other than 7-bit ASCII
 * (ANSI/NIST-ITL 1-2011 5.5, 7.1.15); a name, a code or a number is 7-bit whatever DCS says. */
static void class_table(unsigned char ok[256], int ct, const char *sca, int high)
{
    int sca_print = sca && strcmp(sca, "PRINT") == 0;
    int all = !sca_print && ct != EBTS__CT_A && ct != EBTS__CT_AS && ct != EBTS__CT_N &&
              ct != EBTS__CT_NS && ct != EBTS__CT_AN && ct != EBTS__CT_ANS;
    int print = sca_print || (ct == EBTS__CT_ANS && !sca);
    int alpha = ct == EBTS__CT_A || ct == EBTS__CT_AS || ct == EBTS__CT_AN || ct == EBTS__CT_ANS;
    int digit = ct == EBTS__CT_N || ct == EBTS__CT_NS || ct == EBTS__CT_AN || ct == EBTS__CT_ANS;
    for (unsigned c = 0; c < 0x80; c++) {
        int a = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'), d = c >= '0' && c <= '9';
        int p = (c >= 0x20 && c < 0x7f) || (c >= 7 && c <= 13);
        ok[c] = (unsigned char)(all || (print ? p : (alpha && a) || (digit && d)));
    }
    memset(ok + 0x80, high && (all || print), 0x80);
    if (sca && !sca_print && !all && !print)
        for (const char *x = sca; *x; x++)
            ok[(unsigned char)*x] = 1;
}

/* The longest run lo..hi of 7-bit bytes a class table allows ("PRINT": 0x20-0x7E, N: 0-9,
 * A: A-Z), as the constants of class_pass8: eight bytes all inside it pass at once. *sub = 0
 * when there is no usable run (one starting at 0 or reaching 0x7F). */
static void class_run(const unsigned char ok[256], uint64_t *sub, uint64_t *add)
{
    unsigned best = 0, start = 0, lo = 0, hi = 0;
    for (unsigned c = 0; c <= 0x80; c++) {
        if (c < 0x80 && ok[c])
            continue;
        if (c > start && c - start > best) {
            best = c - start;
            lo = start;
            hi = c - 1;
        }
        start = c + 1;
    }
    *sub = best && lo > 0 && hi < 0x7f ? EBTS__ONES8 * lo : 0;
    *add = EBTS__ONES8 * (127u - hi);
}
/* Are the eight bytes of x all in lo..hi (hi < 0x7F)? Exact: a byte below lo shows in the
 * borrow test, one above hi (or above 0x7F) in the carry test; no false pass. */
static inline int class_pass8(uint64_t x, uint64_t sub, uint64_t add)
{
    return ((((x - sub) & ~x) | (x + add) | x) & EBTS__HIGHS8) == 0;
}

#if defined(__SSE2__)
/* The first byte of q the table refuses among those whose bits are set in out (bytes outside
 * the class's run), n when none. */
static EBTS__HOT unsigned refused_in(const unsigned char *ok, const unsigned char *q, unsigned out,
                                     unsigned n)
{
    for (; out; out &= out - 1) {
        unsigned j = (unsigned)__builtin_ctz(out);
        if (!ok[q[j]])
            return j;
    }
    return n;
}
#endif

/* The first byte of q[0..n) the table refuses, n when none. While the bytes lie in the class's
 * run (sub 0: no usable run) they pass in blocks (sixteen with SSE2, else eight), the last block
 * overlapping the one before it; a value shorter than sixteen bytes passes in one block when
 * wide says that sixteen bytes from q may be read (they lie in the input). With SSE2, a block's
 * bytes outside the run are looked up in the table, which also knows the class's specials (a
 * text's line ends); without, from the first block that does not pass, byte by byte (four at a
 * time) through the table. */
static EBTS__HOT size_t first_refused(const unsigned char *ok, uint64_t sub, uint64_t add,
                                      const run16 *r16, const unsigned char *q, size_t n,
                                      int wide)
{
    size_t i = 0;
    (void)r16;
    (void)wide;
    if (sub) {
#if defined(__SSE2__)
        if (n < 16 && wide)
            return refused_in(ok, q, ~ebts__run16_mask(r16, q) & ((1u << n) - 1u), n);
        if (n >= 16) {
            for (; i + 16 <= n; i += 16) {
                unsigned out = ~ebts__run16_mask(r16, q + i) & 0xffffu;
                unsigned j = out ? refused_in(ok, q + i, out, 16) : 16;
                if (j < 16)
                    return i + j;
            }
            if (i == n)
                return n;
            /* the last sixteen bytes, of which those before i have passed */
            unsigned out = ~ebts__run16_mask(r16, q + n - 16) & 0xffffu;
            if (!out)
                return n;
            out &= 0xffffu << (i - (n - 16));
            return n - 16 + refused_in(ok, q + n - 16, out, 16);
        }
#endif
        if (n >= 8) {
            for (; i + 8 <= n; i += 8) {
                uint64_t x;
                memcpy(&x, q + i, 8);
                if (!class_pass8(x, sub, add))
                    goto table;
            }
            uint64_t x;
            memcpy(&x, q + n - 8, 8);
            if (i == n || class_pass8(x, sub, add))
                return n;
        }
    }
table:
    while (i + 4 <= n && (ok[q[i]] & ok[q[i + 1]] & ok[q[i + 2]] & ok[q[i + 3]]))
        i += 4;
    while (i < n && ok[q[i]])
        i++;
    return i;
}

static EBTS__HOT int valid_date(const unsigned char *p, size_t n, int gmt)
{
    if (n != (gmt ? 15u : 8u))
        return 0;
    uint64_t x;
    memcpy(&x, p, 8);
    if (!class_pass8(x, EBTS__ONES8 * '0', EBTS__ONES8 * (127u - '9'))) /* eight digits */
        return 0;
    for (size_t i = 8; i < (gmt ? 14u : 8u); i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* the digits' values, then in every other byte a pair of them: CC, YY, MM, DD */
    uint64_t dg = x - EBTS__ONES8 * '0', two = (dg * 10 + (dg >> 8)) & 0x00ff00ff00ff00ffull;
    int y = (int)(two & 0xff) * 100 + (int)(two >> 16 & 0xff);
    int m = (int)(two >> 32 & 0xff), d = (int)(two >> 48);
#else
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    int m = (p[4] - '0') * 10 + (p[5] - '0');
    int d = (p[6] - '0') * 10 + (p[7] - '0');
#endif
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    if (gmt) {
        int hh = (p[8] - '0') * 10 + (p[9] - '0'), mi = (p[10] - '0') * 10 + (p[11] - '0');
        int ss = (p[12] - '0') * 10 + (p[13] - '0');
        if (hh > 23 || mi > 59 || ss > 60 || p[14] != 'Z')
            return 0;
    }
    return 1;
}

/* The slot of a (class, special characters, high) triple in the profile's table: its entry, or
 * the empty slot where it goes. Keyed by the characters, not the string's address: a profile
 * spells its specials once per field. */
static struct cset *cset_slot(const struct ebts__vcomp *c, int ct, const char *sca, int high)
{
    unsigned h = ((unsigned)ct * 2u + (unsigned)high) * 0x9e3779b1u;
    for (const char *x = sca; x && *x; x++)
        h = (h ^ (unsigned char)*x) * 0x01000193u;
    size_t slot = (h ^ h >> 16) & (c->ncsets - 1);
    for (;; slot = (slot + 1) & (c->ncsets - 1)) { /* never full: see ebts__profile_compile */
        struct cset *e = &c->csets[slot];
        if (!e->valid || (e->ct == ct && e->high == high &&
                          (e->sca == sca || (e->sca && sca && strcmp(e->sca, sca) == 0))))
            return e;
    }
}

/* The table and run of a (class, special characters) pair, made when the profile was loaded for
 * every pair its rules can make; NULL without one: the check then builds the table for each
 * value. */
static const struct cset *cset_of(const V *v, int ct, const char *sca, int high)
{
    if (!v->vc)
        return NULL;
    const struct cset *e = cset_slot(v->vc, ct, sca, high);
    return e->valid ? e : NULL;
}

/* Make the entry of the triple in slot e, its table at ok. */
static void cset_make(struct cset *e, unsigned char ok[256], int ct, const char *sca, int high)
{
    e->sca = sca;
    e->ct = ct;
    e->high = high;
    e->valid = 1;
    e->ok = ok;
    class_table(ok, ct, sca, high);
    class_run(ok, &e->sub, &e->add);
    e->r16 = ebts__run16_of(e->sub, e->add);
    e->digits = 1;
    for (unsigned d = '0'; d <= '9'; d++)
        e->digits &= ok[d];
}

static void chk_make(const V *v, chk *c, int ct, const char *sca, unsigned minlen, unsigned maxlen,
                     const char *values, int date, const char *imnem, int high)
{
    const struct cset *e = cset_of(v, ct, sca, high);
    c->high = high;
    c->ok = e ? e->ok : NULL;
    c->sub = e ? e->sub : 0;
    c->add = e ? e->add : 0;
    if (e) /* without the profile's table check_text makes the run for each value */
        c->r16 = e->r16;
    c->ct = ct;
    c->date = date;
    c->minlen = minlen;
    c->maxlen = maxlen;
    c->lo = minlen;
    c->span = maxlen ? (size_t)maxlen - minlen : SIZE_MAX - minlen;
    if (maxlen && maxlen < minlen) { /* no length is right */
        c->lo = SIZE_MAX;
        c->span = 0;
    }
    c->values = values;
    c->vs = values ? vset_of(v->vc, values) : NULL;
    c->sca = sca;
    c->imnem = imnem;
    /* a date is eight digits: when the class allows digits, eight is a right length and there is
     * no value set, a valid date needs no other check */
    c->date_only = date != EBTS__DATE_NONE && e && e->digits && 8 - c->lo <= c->span && !values;
}

static void chk_item(const V *v, chk *c, const ebts__item_rule *ir, int high)
{
    chk_make(v, c, ir->ctype, ir->sca, ir->minlen, ir->maxlen, ir->values, ir->date, ir->mnem,
             high);
}

/* The findings of a value that check_text found wrong: its first refused byte (bad, s.len when
 * none) and its length. Out of line: a valid value never comes here. The value's name is
 * fmnem, or "fmnem imnem" for an item. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void text_findings(V *v, long rec, const ebts_field *f, size_t sub, long item,
                          ebts_span s, const char *fmnem, const chk *c, size_t bad)
{
    unsigned rt = v->t->recs[rec]->type, fn = f->number, minlen = c->minlen, maxlen = c->maxlen;
    size_t at = off_of(v, f, s);
    char mnem[48];
    snprintf(mnem, sizeof mnem, "%s%s%s", fmnem, c->imnem ? " " : "", c->imnem ? c->imnem : "");
    if (bad < s.len) {
        unsigned char ch = s.ptr[bad];
        int shown = c->sca && strcmp(c->sca, "PRINT") != 0; /* specials named in the message */
        int print = ch >= 0x20 && ch < 0x7f;
        DIAG(v, is_control(ch) ? "CONTROL_CHARACTER" : "CHARSET_INVALID", at + bad, rec, rt, fn, (long)sub, item,
             "%s: character %s%c%s (0x%02X) at position %zu is not allowed (%s%s%s)", mnem,
             print ? "'" : "", print ? ch : '?', print ? "'" : "", ch, bad + 1,
             ctype_name(c->ct), shown ? " with \"" : "", shown ? c->sca : "");
    }
    if (s.len < minlen || (maxlen && s.len > maxlen)) {
        if (maxlen == minlen)
            DIAG(v, "LENGTH_INVALID", at, rec, rt, fn, (long)sub, item,
                 "%s: %zu characters, must be %u", mnem, s.len, minlen);
        else if (maxlen)
            DIAG(v, "LENGTH_INVALID", at, rec, rt, fn, (long)sub, item,
                 "%s: %zu characters, must be %u to %u", mnem, s.len, minlen, maxlen);
        else
            DIAG(v, "LENGTH_INVALID", at, rec, rt, fn, (long)sub, item,
                 "%s: %zu characters, must be at least %u", mnem, s.len, minlen);
    }
}

#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void value_finding(V *v, long rec, const ebts_field *f, size_t sub, long item,
                          ebts_span s, const char *fmnem, const chk *c)
{
    char mnem[48], shown[40], list[160];
    snprintf(mnem, sizeof mnem, "%s%s%s", fmnem, c->imnem ? " " : "", c->imnem ? c->imnem : "");
    size_t k = s.len < 32 ? s.len : 32;
    for (size_t i = 0; i < k; i++)
        shown[i] = s.ptr[i] >= 0x20 && s.ptr[i] < 0x7f ? (char)s.ptr[i] : '?';
    shown[k] = 0;
    snprintf(list, sizeof list, "%s", c->values);
    for (char *x = list; *x; x++)
        if (*x == '|')
            *x = ',';
    DIAG(v, "VALUE_NOT_ALLOWED", off_of(v, f, s), rec, v->t->recs[rec]->type, f->number,
         (long)sub, item, "%s: value \"%s%s\" not in {%s%s}", mnem, shown,
         s.len > 32 ? "..." : "", list, strlen(c->values) >= sizeof list - 1 ? ", ..." : "");
}

/* first_refused() for a check without a table of the profile's: the table built for this
 * value. Out of line: the profile has a table for every class its rules make. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t first_refused_own(const chk *c, const unsigned char *q, size_t n, int wide)
{
    unsigned char own[256];
    uint64_t sub, add;
    class_table(own, c->ct, c->sca, c->high);
    class_run(own, &sub, &add);
    run16 r16 = ebts__run16_of(sub, add);
    return first_refused(own, sub, add, &r16, q, n, wide);
}

/* One value (an item, or a subfield without items) against a type/length/value-set rule. */
/* wide: sixteen bytes from s.ptr may be read (they lie in the input) */
static EBTS__HOT void check_text(V *v, long rec, const ebts_field *f, size_t sub, long item,
                                  ebts_span s, const char *fmnem, const chk *c, int wide)
{
    size_t bad = c->ok ? first_refused(c->ok, c->sub, c->add, &c->r16, s.ptr, s.len, wide)
                       : first_refused_own(c, s.ptr, s.len, wide); /* s.len if none */
    if (bad < s.len || s.len - c->lo > c->span)
        text_findings(v, rec, f, sub, item, s, fmnem, c, bad);
    if (c->values && !in_value_set(c->vs, c->values, s.ptr, s.len, wide))
        value_finding(v, rec, f, sub, item, s, fmnem, c);
}

static void check_lines(V *v, long rec, const ebts_field *f, ebts_span s, unsigned maxline,
                        const char *mnem)
{
    size_t line = 1, start = 0, reported = 0, first_at = 0, longest = 0, first_line = 0;
    for (size_t i = ebts__next_break(s.ptr, 0, s.len); i <= s.len;
         i = ebts__next_break(s.ptr, i + 1, s.len)) {
        size_t len = i - start + 2; /* the text plus two line-control characters */
        if (len > maxline) {
            if (!reported++) {
                first_at = off_of(v, f, s) + start;
                first_line = line;
            }
            if (len > longest)
                longest = len;
        }
        if (i < s.len && s.ptr[i] == '\r' && i + 1 < s.len && s.ptr[i + 1] == '\n')
            i++;
        start = i + 1;
        line++;
    }
    if (reported)
        DIAG(v, "ERS_LINE_TOO_LONG", first_at, rec, v->t->recs[rec]->type, f->number, 0, -1,
             "%s: %zu line%s longer than %u bytes with line control (first: line %zu; longest: %zu)",
             mnem, reported, reported > 1 ? "s" : "", maxline, first_line, longest);
}

/* The index of f (see struct ebts_field; NULL for a single item). A value that was read and
 * has none kept yet has it built into the validation's own room, used again for the next field
 * (and so in the cache), rather than kept with the field. NULL and the report's OOM flag when
 * there is no memory. */
static const uint32_t *items_index(V *v, const ebts_field *f)
{
    const uint32_t *kept = ebts__field_index_kept(f);
    if (kept || !(f->flags & EBTS__F_LAZY))
        return kept;
    /* room for as many separators as the value has bytes (no pass to count them first), or
     * for a long value as many as it holds */
    size_t nrs = f->len, nseps = f->len;
    if (f->len > 65536)
        ebts__count_seps(f->val, f->len, &nrs, &nseps);
    size_t end_at = nrs + 2, need = EBTS__INDEX_SIZE(nrs + 1, nseps + 1);
    if (need > v->ixcap) {
        size_t cap = v->ixcap ? v->ixcap : 256;
        while (cap < need)
            cap *= 2;
        uint32_t *ix = realloc(v->ix, cap * sizeof *ix);
        if (!ix) {
            v->dl->oom = 1;
            return NULL;
        }
        v->ix = ix;
        v->ixcap = cap;
    }
    ebts__index_into(f->val, f->len, v->ix + EBTS__IX_HEAD, (uint32_t)end_at);
    return v->ix + EBTS__IX_HEAD;
}

/* Items the standard lets a subfield leave out (its value is then empty): 1.013 DOM's version
 * (DVN), 1.015 DCS's version (CSV), 2.034 PAT's second and third classes, 2.051 CSL's sentence
 * provision, 2.064 CAN's name, 10.025 SPA's uncertainties, 10.042 SMD's subclass and description
 * (ANSI/NIST-ITL 1-2011 and EBTS: "optional" items, or "may be empty"). Every other item of a
 * built-in rule with a minimum length of one or more needs its value. */
static const struct {
    unsigned short rtype, field, item;
} optional_items[] = {
    {1, 13, 1}, {1, 15, 2}, {2, 34, 2}, {2, 34, 3}, {2, 51, 2}, {2, 64, 1},
    {10, 25, 3}, {10, 25, 4}, {10, 25, 5},
};

static int item_required(const ebts__field_rule *r, size_t i)
{
    if (i >= r->nitems || r->items[i].minlen == 0)
        return 0;
    if (r->rtype == 10 && r->field == 42)
        return 0; /* SMD: the 9.1 table's one item per class; ANSI/NIST-ITL: SUBCLASS optional */
    for (size_t k = 0; k < sizeof optional_items / sizeof optional_items[0]; k++)
        if (optional_items[k].rtype == r->rtype && optional_items[k].field == r->field &&
            optional_items[k].item == i)
            return 0;
    return 1;
}

/* f against its rule r; m: r's entry in the TOT's table (it keeps the rule's checks), NULL
 * without one */
static void check_field(V *v, long rec, const ebts_field *f, const ebts__field_rule *r,
                        const struct centry *m)
{
    unsigned rt = v->t->recs[rec]->type;
    int high = !v->ascii7 && rt != 1;
    const uint32_t *ix = items_index(v, f);
    if (!ix && (f->flags & EBTS__F_LAZY))
        return; /* no memory: the report fails */
    size_t nsub = ebts__ix_nsub(ix);
    if (nsub < r->minocc || (r->maxocc && nsub > r->maxocc))
        DIAG(v, "OCCURRENCE_COUNT", off_of(v, f, ebts_field_value(f)), rec, rt, f->number, -1, -1,
             "%s: %zu occurrence%s, %u to %u allowed", r->mnem, nsub, nsub == 1 ? "" : "s",
             r->minocc, r->maxocc);
    /* the rule's checks: the field's (ck[0]) for a rule without items, else the item rules' */
    chk own[CHK_ITEMS];
    const chk *ck = own;
    size_t want = !r->nitems ? 1 : r->nitems < CHK_ITEMS ? r->nitems : CHK_ITEMS;
    size_t made = 0; /* ck[0..made) are made: all of them when the table keeps them, else the
                        field's at once and items' as items need them */
    if (m && m->ck[high]) {
        ck = m->ck[high];
        made = want;
    } else if (!r->nitems) {
        chk_make(v, &own[made++], r->ctype, r->sca, r->minlen, r->maxlen, r->values,
                 EBTS__DATE_NONE, NULL, high);
    }
    const chk *fc = &ck[0]; /* the field's, for a rule without items */
    /* sixteen bytes can be read from every value of a field read from the input that ends
     * sixteen bytes or more before the input does */
    int wide = f->val >= v->in && f->val + f->len < v->in16;
    if (r->nitems) {
        /* the items in order, over all subfields: each begins after the end of the one before
         * (in locals: the compiler cannot tell that the checks' stores leave f and r alone) */
        const uint32_t *sf = ix, *end = sf ? EBTS__INDEX_ITEM_END(sf) : NULL; /* ebts__ix_item */
        const unsigned char *base = f->val;
        size_t rn = r->nitems, flen = f->len;
        size_t k = 0, start = 0; /* the next item and where it begins */
        for (size_t s = 0; s < nsub; s++) {
            size_t first = sf ? sf[s] : 0, nit = sf ? sf[s + 1] - first : 1;
            if (nit > rn)
                DIAG(v, "ITEM_COUNT", off_of(v, f, ebts__ix_item(sf, f, s, rn)), rec, rt, f->number,
                     (long)s, (long)rn, "%s: %zu items, at most %zu", r->mnem, nit, rn);
            if (sf && k != first) { /* items were left over in the last subfield */
                k = first;
                start = end[k - 1] + 1u;
            }
            size_t lim = nit < rn ? nit : rn;
            for (; made < lim && made < CHK_ITEMS; made++)
                chk_item(v, &own[made], &r->items[made], high);
            for (size_t i = 0; i < lim; i++, k++) {
                size_t e = end ? end[k] : flen;
                ebts_span it = {base + start, e - start};
                start = e + 1;
                if (i > 0 && it.len == 0) {
                    /* an empty later item is an absent one ("NORAM<US>"): right where the item
                       may be absent, an error where the field needs its value */
                    if (item_required(r, i))
                        DIAG(v, "ITEM_EMPTY", off_of(v, f, it), rec, rt, f->number, (long)s,
                             (long)i, "%s %s: the item is empty; the field requires a value",
                             r->mnem, r->items[i].mnem);
                    continue;
                }
                chk one;
                const chk *c = &one;
                if (i < CHK_ITEMS)
                    c = &ck[i];
                else
                    chk_item(v, &one, &r->items[i], high);
                if (c->date_only && valid_date(it.ptr, it.len, 0))
                    continue;
                check_text(v, rec, f, s, (long)i, it, r->mnem, c, wide);
                if (c->date != EBTS__DATE_NONE && !valid_date(it.ptr, it.len, 0) &&
                    !(c->date == EBTS__DATE_YMD_OR_ZERO && span_is(it, "00000000")))
                    DIAG(v, "DATE_INVALID", off_of(v, f, it), rec, rt, f->number, (long)s, (long)i,
                         "%s %s: \"%.*s\" is not a valid CCYYMMDD date", r->mnem, c->imnem,
                         (int)(it.len > 20 ? 20 : it.len), (const char *)it.ptr);
            }
        }
        return;
    }
    for (size_t s = 0; s < nsub; s++) {
        size_t nit = ebts__ix_items_in(ix, s);
        if (nit > 1)
            DIAG(v, "ITEM_COUNT", off_of(v, f, ebts__ix_item(ix, f, s, 1)), rec, rt, f->number,
                 (long)s, 1, "%s: %zu items, the field has none", r->mnem, nit);
        ebts_span val = ebts__ix_item(ix, f, s, 0), raw = val;
        if (s == 0)
            while (val.len && val.ptr[0] == ' ') { /* the reader reported it: LEADING_SPACE */
                val.ptr++;
                val.len--;
            }
        check_text(v, rec, f, s, -1, val, r->mnem, fc, wide);
        if (r->date != EBTS__DATE_NONE) {
            int zero = r->date == EBTS__DATE_YMD_OR_ZERO && span_is(val, "00000000");
            if (!zero && !valid_date(val.ptr, val.len, r->date == EBTS__DATE_GMT))
                DIAG(v, "DATE_INVALID", off_of(v, f, val), rec, rt, f->number, (long)s, -1,
                     "%s: \"%.*s\" is not a valid %s", r->mnem, (int)(val.len > 20 ? 20 : val.len),
                     (const char *)val.ptr,
                     r->date == EBTS__DATE_GMT ? "YYYYMMDDhhmmssZ time" : "CCYYMMDD date");
        }
        if ((r->fmt & EBTS__FMT_NN_NN) &&
            !(val.len == 5 && val.ptr[2] == '.' && val.ptr[0] >= '0' && val.ptr[0] <= '9' &&
              val.ptr[1] >= '0' && val.ptr[1] <= '9' && val.ptr[3] >= '0' && val.ptr[3] <= '9' &&
              val.ptr[4] >= '0' && val.ptr[4] <= '9'))
            DIAG(v, "FORMAT_INVALID", off_of(v, f, val), rec, rt, f->number, (long)s, -1,
                 "%s: \"%.*s\" is not of the form NN.NN", r->mnem, (int)(val.len > 20 ? 20 : val.len),
                 (const char *)val.ptr);
        if ((r->fmt & EBTS__FMT_NO_LEADING_BLANK) && raw.len && raw.ptr[0] == ' ')
            DIAG(v, "FORMAT_INVALID", off_of(v, f, raw), rec, rt, f->number, (long)s, -1,
                 "%s: must not begin with a blank", r->mnem);
        if ((r->fmt & EBTS__FMT_NO_PERIOD) && memchr(val.ptr, '.', val.len))
            DIAG(v, "FORMAT_INVALID", off_of(v, f, val), rec, rt, f->number, (long)s, -1,
                 "%s: periods are not allowed", r->mnem);
        if (r->maxlinelen)
            check_lines(v, rec, f, val, r->maxlinelen, r->mnem);
    }
}

static int imt_matches(const char *imt_list, const ebts_record *r)
{
    if (!imt_list)
        return 1;
    ebts_span imt = ebts_field_value(ebts_record_field(r, 3));
    return in_values(imt_list, imt.ptr, imt.len);
}

/* Is field of a Type-rtype record mandatory? r: the record, asked only when the rule depends
 * on its IMT. */
static int required_uncached(const V *v, unsigned rtype, const ebts_record *r, unsigned field,
                             const ebts__field_rule *rule)
{
    if (rule && in_list(rule->mand, v->tot) && imt_matches(rule->imt, r))
        return 1;
    for (size_t i = 0; i < v->p->nmand; i++)
        if (v->p->mand[i].rtype == rtype && v->p->mand[i].field == field &&
            in_list(v->p->mand[i].tots, v->tot))
            return 1;
    return 0;
}

/* Is the field mandatory in r? The same answer for every record of the type unless the rule
 * depends on the record's IMT: kept in the TOT's table. */
static int required_here(const V *v, const ebts_record *r, unsigned field)
{
    const struct centry *m;
    ebts__field_rule tmp;
    const ebts__field_rule *rule = lookup(v, r->type, field, &tmp, 0, &m);
    if (m && m->required >= 0)
        return m->required;
    return required_uncached(v, r->type, r, field, rule);
}

static void missing(V *v, long rec, unsigned field, const char *why)
{
    const ebts_record *r = v->t->recs[rec];
    ebts__field_rule tmp;
    const ebts__field_rule *rule = lookup(v, r->type, field, &tmp, 1, NULL);
    DIAG(v, "FIELD_MISSING", r->offset == EBTS__NOWHERE ? 0 : r->offset, rec, r->type, field, -1,
         -1, "%s is mandatory%s%s", rule ? rule->mnem : "field", why ? " " : "", why ? why : "");
}

/* Make l, the list of Type-rtype records under v's TOT: -1 without memory. */
static int reqlist_make(const V *v, unsigned rtype, struct reqlist *l)
{
    const ebts__field_rule *first = first_rule_at(rtype, 0), *x;
    for (x = first; x->rtype == rtype; x++)
        ;
    l->f = malloc(((size_t)(x - first) + 1) * sizeof *l->f);
    if (!l->f)
        return -1;
    l->type = rtype;
    l->valid = 1;
    l->n = 0;
    unsigned seen = 0;
    for (x = first; x->rtype == rtype; x++) {
        if (x->field == seen || x->field == 1)
            continue;
        seen = x->field;
        ebts__field_rule tmp;
        const ebts__field_rule *rule = lookup(v, rtype, x->field, &tmp, 0, NULL);
        int imt = rule && rule->imt;
        if (imt || required_uncached(v, rtype, NULL, x->field, rule)) {
            struct reqf *e = &l->f[l->n++];
            e->field = x->field;
            e->imt = (unsigned char)imt;
            e->star = strcmp(x->mand ? x->mand : "", "*") == 0;
        }
    }
    return 0;
}

/* The list of r's type in the TOT's table; NULL without one. */
static const struct reqlist *required_list(const V *v, const ebts_record *r)
{
    for (size_t i = 0; v->tc && i < sizeof v->tc->req / sizeof v->tc->req[0]; i++)
        if (v->tc->req[i].valid && v->tc->req[i].type == r->type)
            return &v->tc->req[i];
    return NULL;
}

static void check_mandatory(V *v, long rec)
{
    const ebts_record *r = v->t->recs[rec];
    /* Which fields 1-1023 the record holds, marked once instead of a scan per rule. */
    uint64_t has[16] = {0};
    for (uint32_t i = 0; i < r->nfields; i++) {
        const ebts_field *f = &r->fields[i];
        if (f->number > 0 && f->number < 1024 && !(f->flags & EBTS__F_MALFORMED))
            has[f->number >> 6] |= (uint64_t)1 << (f->number & 63);
    }
#define HAS(n) ((n) < 1024 ? (has[(n) >> 6] >> ((n) & 63) & 1) : ebts_record_field(r, n) != NULL)
    const char *why = v->why;
    const struct reqlist *l = required_list(v, r);
    for (size_t i = 0; l && i < l->n; i++) {
        const struct reqf *e = &l->f[i];
        if (!HAS(e->field) && (!e->imt || required_here(v, r, e->field)))
            missing(v, rec, e->field, e->star ? NULL : why);
    }
    unsigned seen = 0;
    for (const ebts__field_rule *x = first_rule_at(r->type, 0); !l && x->rtype == r->type; x++) {
        if (x->field == seen || x->field == 1)
            continue;
        seen = x->field;
        if (!HAS(x->field) && required_here(v, r, x->field))
            missing(v, rec, x->field, strcmp(x->mand ? x->mand : "", "*") ? why : NULL);
    }
    for (size_t i = 0; i < v->p->nrules; i++) {
        const ebts__field_rule *x = &v->p->rules[i];
        if (x->rtype == r->type && in_list(x->mand, v->tot) && !HAS(x->field))
            missing(v, rec, x->field, why);
    }
    for (size_t i = 0; i < v->p->nmand; i++)
        if (v->p->mand[i].rtype == r->type && in_list(v->p->mand[i].tots, v->tot) &&
            !HAS(v->p->mand[i].field))
            missing(v, rec, v->p->mand[i].field, why);
#undef HAS
}

static uint32_t span_uint(ebts_span s, int *ok)
{
    uint64_t x = 0;
    *ok = s.len > 0 && s.len <= 9;
    for (size_t i = 0; *ok && i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            *ok = 0;
        x = x * 10 + (uint64_t)(s.ptr[i] - '0');
    }
    return (uint32_t)x;
}

static void check_image(V *v, long rec)
{
    const ebts_record *r = v->t->recs[rec];
    const ebts_field *data = ebts_record_field(r, 999);
    if (!data)
        return;
    ebts_span img = ebts_field_value(data);
    ebts_span cga = ebts_field_value(ebts_record_field(r, 11));
    size_t at = off_of(v, data, img);
    if (img.len == 0) {
        DIAG(v, "IMAGE_EMPTY", at, rec, 10, 999, -1, -1, "DATA: the image field is empty");
        return;
    }
    uint32_t w, h;
    int kind = ebts__image_sniff(img.ptr, img.len, &w, &h);
    int want = span_is(cga, "JPEGB") || span_is(cga, "JPEGL") ? EBTS__IMG_JPEG
               : span_is(cga, "JP2") || span_is(cga, "JP2L")    ? EBTS__IMG_JP2
               : span_is(cga, "PNG")                            ? EBTS__IMG_PNG
                                                                : -1;
    static const char *const kn[] = {"no known image format", "JPEG", "PNG", "JPEG 2000"};
    if (want >= 0 && (kind & EBTS__IMG_KIND) != want) {
        DIAG(v, "IMAGE_FORMAT_MISMATCH", at, rec, 10, 999, -1, -1,
             "DATA: CGA %.*s announces %s, the data is %s", (int)cga.len, (const char *)cga.ptr,
             kn[want], kn[kind & EBTS__IMG_KIND]);
        return;
    }
    if (span_is(cga, "NONE") && (kind & EBTS__IMG_KIND) != EBTS__IMG_UNKNOWN) {
        DIAG(v, "IMAGE_FORMAT_MISMATCH", at, rec, 10, 999, -1, -1,
             "DATA: CGA NONE announces raw pixels, the data is %s", kn[kind & EBTS__IMG_KIND]);
        return;
    }
    if (want < 0 || want == EBTS__IMG_JP2)
        return; /* raw pixels and JPEG 2000 sizes: not checked against HLL/VLL */
    if (!(kind & EBTS__IMG_SIZED)) {
        DIAG(v, "IMAGE_UNREADABLE", at, rec, 10, 999, -1, -1,
             "DATA: no %s frame header with the image's width and height", kn[want]);
        return;
    }
    int ok1, ok2;
    uint32_t hll = span_uint(ebts_field_value(ebts_record_field(r, 6)), &ok1);
    uint32_t vll = span_uint(ebts_field_value(ebts_record_field(r, 7)), &ok2);
    if (ok1 && hll != w)
        DIAG(v, "IMAGE_SIZE_MISMATCH", at, rec, 10, 6, -1, -1,
             "HLL says %u pixels per line, the %s is %u wide", hll, kn[want], w);
    if (ok2 && vll != h)
        DIAG(v, "IMAGE_SIZE_MISMATCH", at, rec, 10, 7, -1, -1,
             "VLL says %u lines, the %s is %u high", vll, kn[want], h);
}

/* EBTS 10 conditions on Type-10 face records. */
static void check_face(V *v, long rec)
{
    const ebts_record *r = v->t->recs[rec];
    if (!imt_matches("FACE", r))
        return;
    size_t at = r->offset == EBTS__NOWHERE ? 0 : r->offset;
    const ebts_field *sap = ebts_record_field(r, 13);
    if (!sap) {
        if (v->p->ebts10)
            DIAG(v, "SAP_MISSING", at, rec, 10, 13, -1, -1,
                 "SAP is mandatory when IMT is FACE (EBTS 10)");
    } else {
        int ok;
        uint32_t s = span_uint(ebts_field_value(sap), &ok);
        static const unsigned need[] = {23, 25, 26, 27, 28};
        static const char *const names[] = {"PAS", "SPA", "SXS", "SEC", "SHC"};
        for (size_t i = 0; ok && s >= 40 && v->p->ebts10 && i < 5; i++)
            if (!ebts_record_field(r, need[i]))
                DIAG(v, "FIELD_MISSING", at, rec, 10, need[i], -1, -1,
                     "%s is mandatory when SAP is 40 or more (SAP %u)", names[i], s);
    }
    ebts_span pos = ebts_field_value(ebts_record_field(r, 20));
    if (span_is(pos, "A") && !ebts_record_field(r, 21))
        DIAG(v, "FIELD_MISSING", at, rec, 10, 21, -1, -1, "POA is mandatory when POS is A");
    if (span_is(pos, "D") && !ebts_record_field(r, 25))
        DIAG(v, "FIELD_MISSING", at, rec, 10, 25, -1, -1, "SPA is mandatory when POS is D");
}

/* An item after RS or US that begins with "T.N:" of its own record's type: the traditional
 * encoding cannot tell it from a field whose GS was written as RS or US, so a reader (this one
 * too) ends the field there. Asked of values set through the API: for values that were read,
 * the reader has decided (traditional: split, SEPARATOR_BEFORE_TAG; XML: kept and reported,
 * VALUE_READS_AS_TAG, a finding the report carries already). */
static void check_tag_like_items(V *v, long rec, const ebts_field *f)
{
    if (!memchr(f->val, ':', f->len))
        return; /* no tag without a colon: most fields are passed over here */
    unsigned rt = v->t->recs[rec]->type;
    const uint32_t *end = EBTS__INDEX_ITEM_END(f->sub_first);
    size_t sub = 0;
    for (uint32_t k = 1; k < EBTS__IX_NITEMS(f->sub_first); k++) {
        size_t start = end[k - 1] + 1u, n = end[k] - start, tl;
        const unsigned char *p = f->val + start;
        if (n < 4 || p[0] < '0' || p[0] > '9' || !(tl = ebts__tag_of_type(p, n, 0, rt)))
            continue; /* the reader's own test of a tag, on the item's bytes */
        while (f->sub_first[sub + 1] <= k)
            sub++;
        DIAG(v, "VALUE_READS_AS_TAG", off_of(v, f, (ebts_span){p, n}), rec, rt, f->number,
             (long)sub, (long)(k - f->sub_first[sub]), EBTS__READS_AS_TAG_MSG, (int)tl,
             (const char *)p, f->val[start - 1] == EBTS__RS ? "RS" : "US");
    }
}

/* A text field no rule describes still holds text: a control character is never in it. */
static void check_controls(V *v, long rec, const ebts_field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (is_control(f->val[i]) && (f->val[i] < 0x1c || f->val[i] > 0x1f)) {
            ebts_span at = {f->val + i, 1};
            DIAG(v, "CONTROL_CHARACTER", off_of(v, f, at), rec, v->t->recs[rec]->type, f->number,
                 -1, -1, "character 0x%02X at position %zu is a control character, not text",
                 f->val[i], i + 1);
            return;
        }
}

static void check_record_fields(V *v, long rec)
{
    const ebts_record *r = v->t->recs[rec];
    for (uint32_t i = 0; i < r->nfields; i++) {
        const ebts_field *f = &r->fields[i];
        if (i == 1 && f->number != 2 && r->fields[0].number == 1 && !(f->flags & EBTS__F_MALFORMED))
            DIAG(v, "FIELD_ORDER", f->offset == EBTS__NOWHERE ? 0 : f->offset, rec, r->type,
                 f->number, -1, -1, "the second field of a Type-%u record must be %u.002 (%s)",
                 r->type, r->type, r->type == 1 ? "VER" : "IDC");
        if ((f->flags & EBTS__F_MALFORMED) || f->number == 1 ||
            (r->type == 1 && f->number >= 2 && f->number <= 4))
            continue; /* LEN and CNT are the reader's; VER and TOT are checked in check_type1 */
        const unsigned char *in = v->t->buf; /* values read lie there; edited ones do not */
        if (!(f->flags & (EBTS__F_LAZY | EBTS__F_BINARY)) && f->sub_first &&
            !(in && f->val >= in && f->val < in + v->t->len))
            check_tag_like_items(v, rec, f);
        if (forbidden(v, r->type, f->number)) {
            DIAG(v, "FIELD_FORBIDDEN", f->offset, rec, r->type, f->number, -1, -1,
                 "the profile forbids this field for TOT%.*s", (int)strlen(v->tot) - 1, v->tot);
            continue;
        }
        if (f->flags & EBTS__F_BINARY)
            continue;
        if (v->p->version == 2011 && r->type == 2 && f->number > 2) {
            check_controls(v, rec, f); /* Type-2 is user-defined in the base standard */
            continue;
        }
        ebts__field_rule tmp;
        const struct centry *m;
        const ebts__field_rule *rule = lookup(v, r->type, f->number, &tmp, !v->tot_known, &m);
        if (!rule) {
            check_controls(v, rec, f);
            if (v->tmpl && tmpl_find(v->tmpl->fields, r->type, f->number, ' '))
                continue; /* the template's field, of a format no table of ours has */
            if (r->type != 10 && v->tot_known)
                DIAG(v, "FIELD_NOT_ALLOWED", f->offset, rec, r->type, f->number, -1, -1,
                     "field %u.%03u is not defined for TOT%.*s in profile %s", r->type, f->number,
                     (int)strlen(v->tot) - 1, v->tot, v->p->name);
            continue;
        }
        if (r->type == 10 && !imt_matches(rule->imt, r)) {
            DIAG(v, "FIELD_NOT_ALLOWED", f->offset, rec, r->type, f->number, -1, -1,
                 "%s is only defined for IMT %s", rule->mnem, rule->imt);
            continue;
        }
        check_field(v, rec, f, rule, m);
    }
}

static void check_type1(V *v)
{
    const ebts_record *t1 = v->t->recs[0];
    ebts_span ver = ebts_field_value(ebts_record_field(t1, 2));
    const ebts_field *vf = ebts_record_field(t1, 2);
    if (vf) {
        size_t k, n = sizeof known_ver / sizeof known_ver[0];
        for (k = 0; k < n && !span_is(ver, known_ver[k]); k++)
            ;
        const char *want = v->p->ebts10 ? "0500" : "0400";
        int update = v->p->ebts10 && (span_is(ver, "0501") || span_is(ver, "0502"));
        if (k == n)
            DIAG(v, "VER_UNKNOWN", off_of(v, vf, ver), 0, 1, 2, -1, -1,
                 "VER: \"%.*s\" is no ANSI/NIST-ITL version (0200 to 0502, 0600)",
                 (int)(ver.len > 8 ? 8 : ver.len), (const char *)ver.ptr);
        else if (!span_is(ver, want) && !update)
            DIAG(v, "VER_UNEXPECTED", off_of(v, vf, ver), 0, 1, 2, -1, -1,
                 "VER: %.*s, profile %s expects %s", (int)ver.len, (const char *)ver.ptr,
                 v->p->name, want);
    }
    const ebts_field *tf = ebts_record_field(t1, 4);
    if (tf && !v->tot_known && v->p->version != 2011)
        DIAG(v, "TOT_UNKNOWN", off_of(v, tf, ebts_field_value(tf)), 0, 1, 4, -1, -1,
             "TOT: \"%.*s\" is not a transaction type of profile %s",
             (int)(tf->len > 16 ? 16 : tf->len), (const char *)tf->val, v->p->name);
    if (v->totr && strcmp(v->totr->group, "Submission Responses") == 0 &&
        !ebts_record_field(t1, 10))
        DIAG(v, "FIELD_MISSING", t1->offset, 0, 1, 10, -1, -1,
             "TCR is mandatory in a response (TOT%.*s): it echoes the submission's TCN",
             (int)strlen(v->tot) - 1, v->tot);
}

/* A TOT only the templates know: its records are those of its template. */
static void check_template_records(V *v)
{
    for (size_t i = 1; i < v->t->nrecs; i++) {
        const ebts_record *r = v->t->recs[i];
        char tok[16];
        snprintf(tok, sizeof tok, " %u ", r->type);
        if (!strstr(v->tmpl->records, tok))
            DIAG(v, "RECORD_NOT_ALLOWED", r->offset == EBTS__NOWHERE ? 0 : r->offset, (long)i,
                 r->type, 0, -1, -1, "a Type-%u record is not part of TOT%.*s (its template holds%s)",
                 r->type, (int)strlen(v->tot) - 1, v->tot, v->tmpl->records);
    }
}

/* The record types 1-99 the template holds, as rec[type] = 1 */
static void tmpl_records(const ebts__tmpl_tot *tmpl, unsigned char rec[100])
{
    memset(rec, 0, 100);
    for (unsigned k = 1; tmpl && tmpl->records && k < 100; k++) {
        char tok[8];
        size_t n = 1 + put_dec(tok + 1, k, 1);
        tok[0] = tok[n++] = ' ';
        tok[n] = 0;
        rec[k] = strstr(tmpl->records, tok) != NULL;
    }
}

/* Record make-up per TOT ("1:1 2:1 414:1-14 10:0-4"). */
static void check_makeup(V *v)
{
    if (v->tmpl && (!v->totr || !v->totr->makeup)) {
        check_template_records(v);
        return;
    }
    if (!v->totr || !v->totr->makeup)
        return;
    size_t count[100] = {0};
    for (size_t i = 0; i < v->t->nrecs; i++)
        if (v->t->recs[i]->type < 100)
            count[v->t->recs[i]->type]++;
    int allowed[100] = {0};
    char buf[128];
    const char *m = v->totr->makeup;
    if (v->p->ebts10 && v->ident)
        m = "1:1 2:1 10:0-5"; /* a photo per encounter (check_ident), up to five */
    else if (v->p->ebts10 && strstr(iris_10, v->tot)) {
        snprintf(buf, sizeof buf, "%s 17:0-2", m);
        m = buf;
    }
    unsigned char own_rec[100];
    const unsigned char *trec = v->tc ? v->tc->tmpl_rec : own_rec;
    if (!v->tc)
        tmpl_records(v->tmpl, own_rec);
    while (*m) {
        unsigned t, lo, hi;
        int used = 0;
        if (sscanf(m, "%u:%u-%u%n", &t, &lo, &hi, &used) != 3) {
            used = 0;
            if (sscanf(m, "%u:%u%n", &t, &lo, &used) != 2)
                break;
            hi = lo;
        }
        m += used;
        while (*m == ' ')
            m++;
        unsigned a = t, b = 0;
        if (t == 414) {
            a = 4;
            b = 14;
        } else if (t == 713) {
            a = 7;
            b = 13;
        }
        if (a >= 100 || b >= 100)
            continue;
        allowed[a] = 1;
        for (unsigned k = 1; k < 100; k++) /* record types the TOT's template holds */
            allowed[k] |= trec[k];
        if (b)
            allowed[b] = 1;
        size_t n = count[a] + (b ? count[b] : 0);
        if (n < lo || n > hi) {
            char types[16];
            if (b)
                snprintf(types, sizeof types, "Type-%u/%u", a, b);
            else
                snprintf(types, sizeof types, "Type-%u", a);
            DIAG(v, "RECORD_COUNT", 0, -1, a, 0, -1, -1, "%zu %s record%s, TOT%.*s needs %u to %u",
                 n, types, n == 1 ? "" : "s", (int)strlen(v->tot) - 1, v->tot, lo, hi);
        }
    }
    for (size_t i = 1; i < v->t->nrecs; i++) {
        const ebts_record *r = v->t->recs[i];
        if (r->type < 100 && !allowed[r->type])
            DIAG(v, "RECORD_NOT_ALLOWED", r->offset == EBTS__NOWHERE ? 0 : r->offset, (long)i,
                 r->type, 0, -1, -1, "a Type-%u record is not part of TOT%.*s (%s)", r->type,
                 (int)strlen(v->tot) - 1, v->tot, v->totr->makeup);
    }
}

/* Each record whose type and IDC an earlier record already has is reported once, naming the
 * first such record. Not compared pairwise (50 000 records with distinct IDCs took 12 s): the
 * IDCs every valid transaction has (0-99, of record types below 100) go through a table of the
 * first record of each (type, IDC), filled in record order; any other is sorted with its type
 * and record. Sorting them all was four per cent of validating 100 MB of Type-2 records; the
 * table is direct, not hashed, so no choice of IDCs makes it slow. */
static void check_idcs(V *v)
{
    size_t n = v->t->nrecs, k = 0;
    if (n < 3)
        return;
    int direct = n > 64 && n < UINT32_MAX; /* a few records: sorting them is cheaper */
    uint32_t *tab = direct ? calloc(100 * 100, sizeof *tab) : NULL; /* first record + 1 */
    ebts__rec_key *keys = malloc(n * sizeof *keys);
    size_t *first = malloc(n * sizeof *first); /* record -> the first with its type and IDC */
    int *idcs = malloc(n * sizeof *idcs);
    if (!keys || !first || !idcs || (direct && !tab)) {
        free(tab);
        free(keys);
        free(first);
        free(idcs);
        v->dl->oom = 1;
        return;
    }
    for (size_t i = 1; i < n; i++) {
        const ebts_record *r = v->t->recs[i];
        int idc = idcs[i] = ebts__record_idc_of(r);
        first[i] = i;
        if (idc < 0)
            continue;
        if (tab && r->type < 100 && idc < 100) {
            uint32_t *e = &tab[r->type * 100 + (unsigned)idc];
            if (*e)
                first[i] = *e - 1u;
            else
                *e = (uint32_t)i + 1u;
        } else {
            keys[k++] = (ebts__rec_key){r->type, idc, i};
        }
    }
    qsort(keys, k, sizeof *keys, ebts__rec_key_cmp);
    for (size_t g = 1; g < k; g++)
        if (keys[g].type == keys[g - 1].type && keys[g].idc == keys[g - 1].idc)
            first[keys[g].rec] = first[keys[g - 1].rec];
    for (size_t i = 1; i < n; i++) {
        if (first[i] == i)
            continue;
        const ebts_record *r = v->t->recs[i];
        DIAG(v, "IDC_DUPLICATE", r->offset == EBTS__NOWHERE ? 0 : r->offset, (long)i, r->type,
             r->binary ? 0 : 2, -1, -1, "IDC %d is used by Type-%u records %zu and %zu", idcs[i],
             r->type, first[i], i);
    }
    free(tab);
    free(keys);
    free(first);
    free(idcs);
}

/* An IDENT response (an SRE from ORI USVISIT0Z; spec digest, section 8) holds together: 2.075
 * is there, 2.059 SRF says what the marker says (I: MATCH, N: NO MATCH), a match names one to
 * five encounters, each with EID, NAME, DOB, POB and SEX, and has at most a photo (Type-10) per
 * encounter; a no-match carries no encounter, IAR or photo; "Photo Attached" is there when
 * photos are (a warning: the FBI's published match sample says it and lacks the photo). */
static void check_ident(V *v, long rec, const ebts_ers *e)
{
    const ebts_record *r = v->t->recs[rec];
    const ebts_field *ers = ebts_record_field(r, 75), *srf = ebts_record_field(r, 59);
    size_t at = r->offset == EBTS__NOWHERE ? 0 : r->offset;
    if (!ers) {
        DIAG(v, "FIELD_MISSING", at, rec, 2, 75, -1, -1,
             "ERS is mandatory in an IDENT response (ORI USVISIT0Z): it holds the IDR");
        return;
    }
    size_t eat = off_of(v, ers, ebts_field_value(ers));
    const ebts_idr *d = ebts_ers_idr(e);
    const ebts_iar *iar = ebts_ers_iar(e);
    size_t photos = 0;
    for (size_t i = 1; i < v->t->nrecs; i++)
        photos += v->t->recs[i]->type == 10;
    ebts_span sv = ebts_field_value(srf);
    int says = span_is(sv, "I") ? 1 : span_is(sv, "N") ? 0 : -1; /* others: VALUE_NOT_ALLOWED */
    if (d->match < 0)
        DIAG(v, "IDR_SRF_MISMATCH", eat, rec, 2, 75, -1, -1,
             "ERS: no \"MATCH\" or \"NO MATCH\" marker in the IDR");
    else if (says >= 0 && says != d->match)
        DIAG(v, "IDR_SRF_MISMATCH", off_of(v, srf, sv), rec, 2, 59, -1, -1,
             "SRF is %c, the IDR says %s", says ? 'I' : 'N', d->match ? "MATCH" : "NO MATCH");
    int match = d->match >= 0 ? d->match : says;
    if (match == 0) {
        if (d->nencounters || iar->present || photos)
            DIAG(v, "IDR_NOMATCH_CONTENT", eat, rec, 2, 75, -1, -1,
                 "a no-match carries %zu encounter%s, %s IAR and %zu photo%s; it has none",
                 d->nencounters, d->nencounters == 1 ? "" : "s", iar->present ? "an" : "no",
                 photos, photos == 1 ? "" : "s");
        return;
    }
    if (match == 1 && (d->nencounters == 0 || d->nencounters > 5))
        DIAG(v, "IDR_ENCOUNTER_COUNT", eat, rec, 2, 75, -1, -1,
             "a match names %zu encounters, one to five", d->nencounters);
    for (size_t i = 0; i < d->nencounters; i++) {
        const ebts_encounter *x = &d->encounters[i];
        const char *miss = !x->eid || !*x->eid     ? "EID"
                           : !x->name || !*x->name ? "NAME"
                           : !x->dob || !*x->dob   ? "DOB"
                           : !x->pob || !*x->pob   ? "POB"
                           : !x->sex || !*x->sex   ? "SEX"
                                                   : NULL;
        if (miss)
            DIAG(v, "IDR_ENCOUNTER_INCOMPLETE", eat, rec, 2, 75, -1, -1,
                 "encounter %zu has no %s", i + 1, miss);
    }
    if (photos > d->nencounters && d->nencounters > 0)
        DIAG(v, "IDR_PHOTO_COUNT", eat, rec, 2, 75, -1, -1,
             "%zu photos for %zu encounter%s: at most one per encounter", photos, d->nencounters,
             d->nencounters == 1 ? "" : "s");
    if (d->photo_attached != (photos > 0))
        DIAG(v, "IDR_PHOTO_ATTACHED", eat, rec, 2, 75, -1, -1,
             d->photo_attached ? "the IDR says \"Photo Attached\"; there is no Type-10 record"
                               : "%zu Type-10 photo%s; the IDR does not say \"Photo Attached\"",
             photos, photos == 1 ? "" : "s");
}

/* The IDR/IAR text of 2.075: the parser's findings, at their offsets in the input; for an
 * IDENT response, its consistency (check_ident). */
static void check_ers(V *v, long rec)
{
    const ebts_field *f = ebts_record_field(v->t->recs[rec], 75);
    if (!f) {
        if (v->ident)
            check_ident(v, rec, NULL);
        return;
    }
    ebts_ers *e = ebts_ers_parse(f->val, f->len, NULL);
    if (!e) {
        v->dl->oom = 1; /* reported as OUT_OF_MEMORY by ebts_validate */
        return;
    }
    size_t base = off_of(v, f, ebts_field_value(f));
    for (size_t i = 0; i < ebts_ers_diag_count(e); i++) {
        const ebts_diag *d = ebts_ers_diag(e, i);
        DIAG(v, d->code, base + d->offset, rec, 2, 75, -1, -1, "%s", d->msg);
    }
    if (v->ident)
        check_ident(v, rec, e);
    ebts_ers_free(e);
}

/* Days since 0000-03-01 of a valid CCYYMMDD date (valid_date), for differences of days. */
static long day_number(const unsigned char *p)
{
    long y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    long m = (p[4] - '0') * 10 + (p[5] - '0'), d = (p[6] - '0') * 10 + (p[7] - '0');
    if (m < 3) {
        y--;
        m += 12;
    }
    return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
}

/* The FBI's pre-check of a CAR: a date of arrest (2.045 DOA, else 2.038 DPR, the date printed)
 * more than seven days before the transaction's date (1.005 DAT) is rejected with L0013, as the
 * published errt-doa sample shows ("L0013 DOA/DPR of [20090210] older than 7 days"). */
static void check_doa_age(V *v, long rec)
{
    if (strcmp(v->tot, " CAR ") != 0 || v->p->version == 2011)
        return;
    const ebts_record *r = v->t->recs[rec];
    const ebts_field *f = ebts_record_field(r, 45);
    if (!f)
        f = ebts_record_field(r, 38);
    ebts_span doa = ebts_field_value(f);
    ebts_span dat = ebts_field_value(ebts_record_field(v->t->recs[0], 5));
    if (!f || !valid_date(doa.ptr, doa.len, 0) || !valid_date(dat.ptr, dat.len, 0))
        return; /* DATE_INVALID or FIELD_MISSING say what is wrong */
    long days = day_number(dat.ptr) - day_number(doa.ptr);
    if (days > 7)
        DIAG(v, "DOA_TOO_OLD", off_of(v, f, doa), rec, 2, f->number, -1, -1,
             "%s %.8s is %ld days before DAT %.8s: the FBI rejects a CAR whose %s is more than "
             "seven days old (L0013)",
             f->number == 45 ? "DOA" : "DPR", (const char *)doa.ptr, days,
             (const char *)dat.ptr, f->number == 45 ? "DOA" : "DPR");
}

/* For the tests that hold the tables against the FBI's templates: is the field defined for the
 * TOT (" CAR ") under p (1 allowed, 2 mandatory, 0 not defined)? Types 1 and 2. */
int ebts__rule_status(const ebts_profile *p, const char *tot, unsigned rtype, unsigned field)
{
    V v;
    memset(&v, 0, sizeof v);
    v.p = p;
    snprintf(v.tot, sizeof v.tot, "%s", tot);
    v.tmpl = tmpl_of(p->version, v.tot);
    ebts__field_rule tmp;
    const ebts__field_rule *r = lookup_rules(&v, rtype, field, &tmp, 0);
    if (r && in_list(r->mand, v.tot))
        return 2;
    return r ? 1 : v.tmpl && tmpl_find(v.tmpl->fields, rtype, field, ' ') ? 1 : 0;
}

/* ---- The profile's tables */

static void totc_free(totc *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < sizeof t->req / sizeof t->req[0]; i++)
        free(t->req[i].f);
    free(t->pool);
    free(t->e);
    free(t);
}

/* The answers of every field a rule names under TOT tot (any_tot: for any TOT), and their
 * checks; NULL without memory. */
static totc *totc_build(const ebts_profile *p, const char *tot, int any_tot)
{
    const struct ebts__vcomp *c = p->vc;
    totc *t = calloc(1, sizeof *t);
    if (!t || !(t->e = calloc(c->nkeys ? c->nkeys : 1, sizeof *t->e))) {
        totc_free(t);
        return NULL;
    }
    V v;
    memset(&v, 0, sizeof v);
    v.p = p;
    v.vc = c;
    snprintf(v.tot, sizeof v.tot, "%s", tot);
    snprintf(t->tot, sizeof t->tot, "%s", tot);
    v.tmpl = t->tmpl = any_tot ? NULL : tmpl_of(p->version, v.tot);
    size_t nck = 0;
    for (size_t s = 0; s < c->nkslots; s++) {
        if (!c->keys[s])
            continue;
        unsigned rtype = (c->keys[s] - 1) >> 16, field = (c->keys[s] - 1) & 0xffff;
        struct centry *e = &t->e[c->key_id[s]];
        e->found = lookup_rules(&v, rtype, field, &e->rule, any_tot) != NULL;
        const ebts__field_rule *r = e->found ? &e->rule : NULL;
        e->required = any_tot || (r && r->imt) ? -1 : required_uncached(&v, rtype, NULL, field, r);
        if (r)
            nck += 2 * (!r->nitems ? 1 : r->nitems < CHK_ITEMS ? r->nitems : CHK_ITEMS);
    }
    if (nck && !(t->pool = malloc(nck * sizeof *t->pool))) {
        totc_free(t);
        return NULL;
    }
    chk *k = t->pool;
    for (size_t i = 0; i < c->nkeys; i++) {
        struct centry *e = &t->e[i];
        const ebts__field_rule *r = &e->rule;
        for (int high = 0; e->found && high < 2; high++) {
            e->ck[high] = k;
            if (!r->nitems)
                chk_make(&v, k++, r->ctype, r->sca, r->minlen, r->maxlen, r->values,
                         EBTS__DATE_NONE, NULL, high);
            for (size_t j = 0; j < r->nitems && j < CHK_ITEMS; j++)
                chk_item(&v, k++, &r->items[j], high);
        }
    }
    static const unsigned req_types[] = {1, 2, 10};
    for (size_t i = 0; !any_tot && i < sizeof req_types / sizeof req_types[0]; i++)
        if (reqlist_make(&v, req_types[i], &t->req[i]) < 0) {
            totc_free(t);
            return NULL;
        }
    tmpl_records(v.tmpl, t->tmpl_rec);
    return t;
}

/* The tables of TOT tot (" SRE "), or with any_tot those for any TOT: made by the first
 * validation that asks and published atomically, so that threads validating against the same
 * profile share them (two that make the same table at once keep the first). NULL without
 * memory, or when TOT_SLOTS TOTs have tables: every answer is then computed. */
static const totc *totc_of(const ebts_profile *p, const char *tot, int any_tot)
{
    struct ebts__vcomp *c = p->vc;
    if (!c)
        return NULL;
    if (any_tot)
        tot = " \x01 "; /* on no list: the answers do not depend on the TOT */
    unsigned h = 2166136261u;
    for (const char *x = tot; *x; x++)
        h = (h ^ (unsigned char)*x) * 16777619u;
    for (size_t k = 0; k < TOT_SLOTS; k++) {
        _Atomic(totc *) *slot = any_tot ? &c->any : &c->tots[(h + k) % TOT_SLOTS];
        totc *t = atomic_load_explicit(slot, memory_order_acquire);
        if (!t) {
            totc *mine = totc_build(p, tot, any_tot), *seen = NULL;
            if (!mine)
                return NULL;
            if (atomic_compare_exchange_strong_explicit(slot, &seen, mine, memory_order_acq_rel,
                                                        memory_order_acquire))
                return mine;
            totc_free(mine);
            t = seen;
        }
        if (any_tot || strcmp(t->tot, tot) == 0)
            return t;
    }
    return NULL;
}

/* What the profile's rules name, gathered in two passes: the first counts (lists of values and
 * fields, at most) and collects the distinct classes (character type and special characters,
 * at most CLASS_MAX: the others are built per value), the second fills the tables. */
#define CLASS_MAX 128u
typedef struct gather {
    struct ebts__vcomp *c;
    int fill;
    size_t nvals, nkeys, nclass;
    int ct[CLASS_MAX];
    const char *sca[CLASS_MAX];
} gather;

static void gather_class(gather *g, int ct, const char *sca)
{
    size_t i;
    for (i = 0; i < g->nclass; i++)
        if (g->ct[i] == ct &&
            (g->sca[i] == sca || (g->sca[i] && sca && strcmp(g->sca[i], sca) == 0)))
            return;
    if (g->nclass < CLASS_MAX) {
        g->ct[g->nclass] = ct;
        g->sca[g->nclass++] = sca;
    }
}

static void gather_one(gather *g, int is_field, unsigned rtype, unsigned field, int ct,
                       const char *values, const char *sca)
{
    struct ebts__vcomp *c = g->c;
    if (!g->fill) {
        g->nvals += values != NULL;
        g->nkeys += is_field != 0;
        if (ct >= 0)
            gather_class(g, ct, sca);
        return;
    }
    if (is_field && rtype <= 0xffff && field <= 0x7fff) {
        uint32_t key = (rtype << 16 | field) + 1;
        size_t slot = (size_t)((key * 0x9e3779b1u) >> 16) & (c->nkslots - 1);
        while (c->keys[slot] && c->keys[slot] != key)
            slot = (slot + 1) & (c->nkslots - 1);
        if (!c->keys[slot]) {
            c->keys[slot] = key;
            c->key_id[slot] = (uint32_t)c->nkeys++;
        }
    }
    if (values) {
        size_t slot = ptr_slot(values, c->nvslots);
        while (c->vset_key[slot] && c->vset_key[slot] != values)
            slot = (slot + 1) & (c->nvslots - 1);
        if (!c->vset_key[slot]) {
            c->vset_key[slot] = values;
            c->vset_at[slot] = (unsigned)g->nvals;
            vset_split(&c->vsets[g->nvals++], values);
        }
    }
}

static void gather_items(gather *g, const ebts__item_rule *it, size_t n)
{
    for (size_t i = 0; it && i < n; i++)
        gather_one(g, 0, 0, 0, it[i].ctype, it[i].values, it[i].sca);
}

/* Every rule lookup_rules() can take a rule's class or values from, and every field a rule names
 * (required_uncached() also asks the profile's mandatory fields). The classes of rules the EBTS
 * 10 changes and ANSI/NIST-ITL 1-2011 alter are those lookup_rules() makes of them. */
static void gather_rules(gather *g, const ebts_profile *p)
{
    for (size_t i = 0; i < ebts__rules_91_count; i++) {
        const ebts__field_rule *r = &ebts__rules_91[i];
        gather_one(g, 1, r->rtype, r->field, r->ctype, r->values, r->sca);
        gather_items(g, r->items, r->nitems);
        if (r->rtype == 1 && r->field >= 7 && r->field <= 10)
            gather_one(g, 0, 0, 0, EBTS__CT_ANS, NULL, r->sca);
    }
    for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
        const delta *x = &deltas[i];
        gather_one(g, 0, 0, 0, -1, x->values, NULL);
        gather_items(g, x->items, x->nitems);
        for (const ebts__field_rule *r = first_rule_at(x->rtype, x->field);
             r->rtype == x->rtype && r->field == x->field; r++)
            gather_one(g, 0, 0, 0, x->ctype >= 0 ? x->ctype : r->ctype, NULL,
                       x->sca ? x->sca : r->sca);
    }
    for (size_t i = 0; i < sizeof added_10 / sizeof added_10[0]; i++) {
        const ebts__field_rule *r = &added_10[i];
        gather_one(g, 1, r->rtype, r->field, r->ctype, r->values, r->sca);
        gather_items(g, r->items, r->nitems);
    }
    for (size_t i = 0; i < p->nrules; i++)
        gather_one(g, 1, p->rules[i].rtype, p->rules[i].field, p->rules[i].ctype,
                   p->rules[i].values, p->rules[i].sca);
    for (size_t i = 0; i < p->nmand; i++)
        gather_one(g, 1, p->mand[i].rtype, p->mand[i].field, -1, NULL, NULL);
}

static size_t pow2_at_least(size_t n)
{
    size_t k = 16;
    while (k < n)
        k *= 2;
    return k;
}

void ebts__profile_compiled_free(ebts_profile *p)
{
    struct ebts__vcomp *c = p ? p->vc : NULL;
    if (!c)
        return;
    totc_free(atomic_load(&c->any));
    for (size_t i = 0; i < TOT_SLOTS; i++)
        totc_free(atomic_load(&c->tots[i]));
    free(c->csets);
    free(c->cset_ok);
    free(c->vset_key);
    free(c->vset_at);
    free(c->vsets);
    free(c->keys);
    free(c->key_id);
    free(c);
    p->vc = NULL;
}

int ebts__profile_compile(ebts_profile *p)
{
    struct ebts__vcomp *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    for (size_t i = 0; i < TOT_SLOTS; i++)
        atomic_init(&c->tots[i], NULL);
    atomic_init(&c->any, NULL);
    p->vc = c;
    gather g;
    memset(&g, 0, sizeof g);
    g.c = c;
    gather_rules(&g, p);
    size_t ntab = 2 * (g.nclass ? g.nclass : 1); /* each class, with and without bytes above 0x7F */
    c->ncsets = pow2_at_least(2 * ntab);
    c->nvslots = pow2_at_least(2 * g.nvals);
    c->nkslots = pow2_at_least(2 * g.nkeys);
    c->csets = calloc(c->ncsets, sizeof *c->csets);
    c->cset_ok = malloc(ntab * sizeof *c->cset_ok);
    c->vset_key = calloc(c->nvslots, sizeof *c->vset_key);
    c->vset_at = malloc(c->nvslots * sizeof *c->vset_at);
    c->vsets = malloc((g.nvals ? g.nvals : 1) * sizeof *c->vsets);
    c->keys = calloc(c->nkslots, sizeof *c->keys);
    c->key_id = malloc(c->nkslots * sizeof *c->key_id);
    if (!c->csets || !c->cset_ok || !c->vset_key || !c->vset_at || !c->vsets || !c->keys ||
        !c->key_id) {
        ebts__profile_compiled_free(p);
        return -1;
    }
    size_t made = 0;
    for (size_t i = 0; i < g.nclass; i++)
        for (int high = 0; high < 2; high++) {
            struct cset *e = cset_slot(c, g.ct[i], g.sca[i], high);
            if (!e->valid)
                cset_make(e, c->cset_ok[made++], g.ct[i], g.sca[i], high);
        }
    g.fill = 1;
    g.nvals = 0;
    gather_rules(&g, p);
    return 0;
}

static void apply_severity(const ebts_profile *p, ebts__dlist *dl)
{
    size_t k = 0;
    for (size_t i = 0; i < dl->n; i++) {
        int keep = 1;
        for (size_t s = 0; s < p->nsev; s++)
            if (strcmp(p->sev[s].code, dl->d[i].code) == 0) {
                if (p->sev[s].severity == 0)
                    keep = 0;
                else
                    dl->d[i].severity = p->sev[s].severity;
            }
        if (keep)
            dl->d[k++] = dl->d[i];
    }
    dl->n = k;
    for (size_t s = 0; s < p->nsev; s++)
        ebts__dlist_lost_severity(dl, p->sev[s].code, p->sev[s].severity);
    ebts__dlist_note(dl);
}

ebts_report *ebts_validate(const ebts_txn *t, const ebts_profile *p, ebts_error *err)
{
    if (!t) {
        ebts__error_set(err, "BAD_ARGUMENT", 0, -1, NULL, "NULL transaction");
        return NULL;
    }
    ebts_report *rep = calloc(1, sizeof *rep);
    ebts_profile *def = NULL;
    if (!rep) {
        ebts__error_oom(err);
        return NULL;
    }
    ebts__dlist_append(&rep->dl, &t->dl); /* the reader's findings first */
    if (!p && !(p = def = ebts_profile_builtin(EBTS__DEFAULT_PROFILE, NULL))) {
        ebts_report_free(rep);
        ebts__error_oom(err);
        return NULL;
    }
    if (t->nrecs == 0 || t->recs[0]->type != 1) {
        ebts_profile_free(def);
        ebts__dlist_note(&rep->dl);
        return rep;
    }
    V v;
    memset(&v, 0, sizeof v);
    v.t = t;
    v.p = p;
    v.dl = &rep->dl;
    v.in = v.in16 = t->buf;
    if (t->buf && t->len >= 16)
        v.in16 = t->buf + t->len - 15;
    v.vc = p->vc;
    v.ascii7 = ebts__txn_ascii7(t);
    ebts_span tot = ebts_field_value(ebts_record_field(t->recs[0], 4));
    snprintf(v.tot, sizeof v.tot, " %.*s ", (int)(tot.len < 16 ? tot.len : 16),
             tot.ptr ? (const char *)tot.ptr : "");
    for (const ebts__tot_rule *x = ebts__tots_91; x->code; x++)
        if (span_is(tot, x->code)) {
            v.totr = x;
            break;
        }
    v.ident = p->version != 2011 && strcmp(v.tot, " SRE ") == 0 &&
              span_is(ebts_field_value(ebts_record_field(t->recs[0], 8)), "USVISIT0Z");
    /* the TOT's tables (NULL without memory: every answer is computed) */
    v.tc = totc_of(p, v.tot, 0);
    v.tmpl = v.tc ? v.tc->tmpl : tmpl_of(p->version, v.tot);
    if (p->version == 2011) /* the base standard: no transaction rules, any TOT */
        v.totr = NULL;
    v.tot_known = v.tmpl != NULL || v.totr != NULL ||
                  (p->ebts10 && p->version != 2011 && tot.len && strstr(ebts10_tots, v.tot));
    /* any TOT's answers: for the fields of a TOT the profile does not know (a known TOT asks
       them only to name a missing field) */
    v.tca = v.tot_known ? NULL : totc_of(p, v.tot, 1);
    snprintf(v.why, sizeof v.why, "for TOT%s", v.tot);
    v.why[strlen(v.why) - 1] = 0;
    check_type1(&v);
    check_makeup(&v);
    check_idcs(&v);
    for (size_t i = 0; i < t->nrecs; i++) {
        const ebts_record *r = t->recs[i];
        if (r->binary || (r->type != 1 && r->type != 2 && r->type != 10))
            continue;
        if (i > 0 && r->type == 1)
            continue;
        check_record_fields(&v, (long)i);
        if (v.tot_known || r->type == 1) /* Type-1's fields are mandatory for every TOT */
            check_mandatory(&v, (long)i);
        if (r->type == 2 && strcmp(v.tot, " SRE ") == 0)
            check_ers(&v, (long)i);
        if (r->type == 2)
            check_doa_age(&v, (long)i);
        if (r->type == 10) {
            check_face(&v, (long)i);
            check_image(&v, (long)i);
        }
    }
    free(v.ix);
    apply_severity(p, &rep->dl);
    ebts__dlist_sort(&rep->dl);
    ebts_profile_free(def);
    if (rep->dl.oom) {
        ebts_report_free(rep);
        ebts__error_oom(err);
        return NULL;
    }
    return rep;
}

size_t ebts_report_count(const ebts_report *r)
{
    return r ? r->dl.n : 0;
}

const ebts_diag *ebts_report_diag(const ebts_report *r, size_t index)
{
    return r && index < r->dl.n ? &r->dl.d[index] : NULL;
}

size_t ebts_report_error_count(const ebts_report *r, int strict)
{
    /* strict: every finding counts, warnings included */
    return !r ? 0 : strict ? ebts__dlist_total(&r->dl) : ebts__dlist_errors(&r->dl, 0);
}

size_t ebts_report_finding_count(const ebts_report *r)
{
    return r ? ebts__dlist_total(&r->dl) : 0;
}

void ebts_report_free(ebts_report *r)
{
    if (!r)
        return;
    free(r->dl.d);
    free(r);
}
