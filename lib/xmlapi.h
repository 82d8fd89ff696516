/* libxml2, loaded when a document is first read or written (ebts__xml_init): a program that
 * reads and writes only the traditional encoding never maps it, nor the ICU and C++ libraries
 * it brings, which cost a process about a millisecond to start. The five files that use
 * libxml2 include this after nothing else of it: its names then stand for the functions
 * ebts__xml_init looked up. A function the library comes to call must be added to the list:
 * left out, it is an undefined symbol when the tools, which do not link libxml2, are linked. */
#ifndef EBTS_XMLAPI_H
#define EBTS_XMLAPI_H
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlregexp.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

/* X(name): every function of libxml2 the library calls */
#define EBTS__XML_FUNCTIONS(X) \
    X(xmlInitParser) \
    X(__xmlGenericError) \
    X(__xmlGenericErrorContext) \
    X(xmlBufferContent) \
    X(xmlBufferCreate) \
    X(xmlBufferFree) \
    X(xmlBufferLength) \
    X(xmlCtxtReadMemory) \
    X(xmlDictOwns) \
    X(xmlDocGetRootElement) \
    X(xmlFirstElementChild) \
    X(xmlFreeDoc) \
    X(xmlFreeParserCtxt) \
    X(xmlFreeTextReader) \
    X(xmlFreeTextWriter) \
    X(xmlGetLineNo) \
    X(xmlGetProp) \
    X(xmlNewParserCtxt) \
    X(xmlNewTextWriterMemory) \
    X(xmlNextElementSibling) \
    X(xmlNodeGetContent) \
    X(xmlReaderForMemory) \
    X(xmlRegFreeRegexp) \
    X(xmlRegexpCompile) \
    X(xmlRegexpExec) \
    X(xmlSchemaFree) \
    X(xmlSchemaFreeParserCtxt) \
    X(xmlSchemaFreeValidCtxt) \
    X(xmlSchemaNewMemParserCtxt) \
    X(xmlSchemaNewValidCtxt) \
    X(xmlSchemaParse) \
    X(xmlSchemaSetParserStructuredErrors) \
    X(xmlSchemaSetValidStructuredErrors) \
    X(xmlSchemaValidateDoc) \
    X(xmlSetGenericErrorFunc) \
    X(xmlTextReaderCurrentNode) \
    X(xmlTextReaderDepth) \
    X(xmlTextReaderExpand) \
    X(xmlTextReaderIsEmptyElement) \
    X(xmlTextReaderNext) \
    X(xmlTextReaderNodeType) \
    X(xmlTextReaderRead) \
    X(xmlTextReaderSetStructuredErrorHandler) \
    X(xmlTextWriterEndDocument) \
    X(xmlTextWriterEndElement) \
    X(xmlTextWriterSetIndent) \
    X(xmlTextWriterStartDocument) \
    X(xmlTextWriterStartElement) \
    X(xmlTextWriterWriteAttribute) \
    X(xmlTextWriterWriteString)

struct ebts__xml_api {
#define EBTS__XML_MEMBER(name) __typeof__(&name) name;
    EBTS__XML_FUNCTIONS(EBTS__XML_MEMBER)
#undef EBTS__XML_MEMBER
    xmlFreeFunc *free_fn; /* xmlFree is a variable */
};

/* Set once by ebts__xml_init, under its lock; read after a call of it returned 0. */
extern struct ebts__xml_api ebts__xml;

#ifndef EBTS__XMLAPI_OWN
#define xmlInitParser (ebts__xml.xmlInitParser)
#define __xmlGenericError (ebts__xml.__xmlGenericError)
#define __xmlGenericErrorContext (ebts__xml.__xmlGenericErrorContext)
#define xmlBufferContent (ebts__xml.xmlBufferContent)
#define xmlBufferCreate (ebts__xml.xmlBufferCreate)
#define xmlBufferFree (ebts__xml.xmlBufferFree)
#define xmlBufferLength (ebts__xml.xmlBufferLength)
#define xmlCtxtReadMemory (ebts__xml.xmlCtxtReadMemory)
#define xmlDictOwns (ebts__xml.xmlDictOwns)
#define xmlDocGetRootElement (ebts__xml.xmlDocGetRootElement)
#define xmlFirstElementChild (ebts__xml.xmlFirstElementChild)
#define xmlFreeDoc (ebts__xml.xmlFreeDoc)
#define xmlFreeParserCtxt (ebts__xml.xmlFreeParserCtxt)
#define xmlFreeTextReader (ebts__xml.xmlFreeTextReader)
#define xmlFreeTextWriter (ebts__xml.xmlFreeTextWriter)
#define xmlGetLineNo (ebts__xml.xmlGetLineNo)
#define xmlGetProp (ebts__xml.xmlGetProp)
#define xmlNewParserCtxt (ebts__xml.xmlNewParserCtxt)
#define xmlNewTextWriterMemory (ebts__xml.xmlNewTextWriterMemory)
#define xmlNextElementSibling (ebts__xml.xmlNextElementSibling)
#define xmlNodeGetContent (ebts__xml.xmlNodeGetContent)
#define xmlReaderForMemory (ebts__xml.xmlReaderForMemory)
#define xmlRegFreeRegexp (ebts__xml.xmlRegFreeRegexp)
#define xmlRegexpCompile (ebts__xml.xmlRegexpCompile)
#define xmlRegexpExec (ebts__xml.xmlRegexpExec)
#define xmlSchemaFree (ebts__xml.xmlSchemaFree)
#define xmlSchemaFreeParserCtxt (ebts__xml.xmlSchemaFreeParserCtxt)
#define xmlSchemaFreeValidCtxt (ebts__xml.xmlSchemaFreeValidCtxt)
#define xmlSchemaNewMemParserCtxt (ebts__xml.xmlSchemaNewMemParserCtxt)
#define xmlSchemaNewValidCtxt (ebts__xml.xmlSchemaNewValidCtxt)
#define xmlSchemaParse (ebts__xml.xmlSchemaParse)
#define xmlSchemaSetParserStructuredErrors (ebts__xml.xmlSchemaSetParserStructuredErrors)
#define xmlSchemaSetValidStructuredErrors (ebts__xml.xmlSchemaSetValidStructuredErrors)
#define xmlSchemaValidateDoc (ebts__xml.xmlSchemaValidateDoc)
#define xmlSetGenericErrorFunc (ebts__xml.xmlSetGenericErrorFunc)
#define xmlTextReaderCurrentNode (ebts__xml.xmlTextReaderCurrentNode)
#define xmlTextReaderDepth (ebts__xml.xmlTextReaderDepth)
#define xmlTextReaderExpand (ebts__xml.xmlTextReaderExpand)
#define xmlTextReaderIsEmptyElement (ebts__xml.xmlTextReaderIsEmptyElement)
#define xmlTextReaderNext (ebts__xml.xmlTextReaderNext)
#define xmlTextReaderNodeType (ebts__xml.xmlTextReaderNodeType)
#define xmlTextReaderRead (ebts__xml.xmlTextReaderRead)
#define xmlTextReaderSetStructuredErrorHandler (ebts__xml.xmlTextReaderSetStructuredErrorHandler)
#define xmlTextWriterEndDocument (ebts__xml.xmlTextWriterEndDocument)
#define xmlTextWriterEndElement (ebts__xml.xmlTextWriterEndElement)
#define xmlTextWriterSetIndent (ebts__xml.xmlTextWriterSetIndent)
#define xmlTextWriterStartDocument (ebts__xml.xmlTextWriterStartDocument)
#define xmlTextWriterStartElement (ebts__xml.xmlTextWriterStartElement)
#define xmlTextWriterWriteAttribute (ebts__xml.xmlTextWriterWriteAttribute)
#define xmlTextWriterWriteString (ebts__xml.xmlTextWriterWriteString)
#undef xmlFree
#define xmlFree (*ebts__xml.free_fn)
#endif
#endif
