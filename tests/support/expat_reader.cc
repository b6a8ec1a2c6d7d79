#include "support/expat_reader.h"

#include <expat.h>

#include <cstring>
#include <string>

#include "ingest/byte_source.h"

namespace vigil::testing {

struct ExpatReader::State {
  XML_Parser parser = nullptr;
  XmlHandler* handler = nullptr;
  const XmlLimits* limits = nullptr;
  Status error;           // first error raised by us (not by expat)
  size_t text_bytes = 0;  // text collected since the last element boundary
};

namespace {

ExpatReader::State* StateOf(void* user) {
  return static_cast<ExpatReader::State*>(user);
}

void Stop(ExpatReader::State* s, Status status) {
  if (s->error.ok()) {
    s->error = std::move(status);
  }
  XML_StopParser(s->parser, XML_FALSE);
}

void XMLCALL StartElement(void* user, const XML_Char* name, const XML_Char** attrs) {
  auto* s = StateOf(user);
  s->text_bytes = 0;
  for (size_t i = 0; attrs[i] != nullptr; i += 2) {
    size_t len = std::strlen(attrs[i + 1]);
    if (len > s->limits->max_attribute_bytes) {
      Stop(s, InvalidInput("attribute '" + std::string(attrs[i]) + "' of <" + name + "> is " +
                           std::to_string(len) + " bytes long (limit " +
                           std::to_string(s->limits->max_attribute_bytes) + ")"));
      return;
    }
  }
  Status st = s->handler->OnStart(name, attrs);
  if (!st.ok()) {
    Stop(s, std::move(st));
  }
}

void XMLCALL EndElement(void* user, const XML_Char* name) {
  auto* s = StateOf(user);
  s->text_bytes = 0;
  Status st = s->handler->OnEnd(name);
  if (!st.ok()) {
    Stop(s, std::move(st));
  }
}

void XMLCALL CharacterData(void* user, const XML_Char* text, int len) {
  auto* s = StateOf(user);
  s->text_bytes += static_cast<size_t>(len);
  if (s->text_bytes > s->limits->max_text_bytes) {
    Stop(s, InvalidInput("element text longer than " + std::to_string(s->limits->max_text_bytes) +
                         " bytes"));
    return;
  }
  Status st = s->handler->OnText(std::string_view(text, static_cast<size_t>(len)));
  if (!st.ok()) {
    Stop(s, std::move(st));
  }
}

void XMLCALL EntityDecl(void* user, const XML_Char* name, int /*is_parameter*/,
                        const XML_Char* /*value*/, int /*value_length*/, const XML_Char* /*base*/,
                        const XML_Char* system_id, const XML_Char* /*public_id*/,
                        const XML_Char* /*notation*/) {
  auto* s = StateOf(user);
  std::string what = system_id != nullptr ? "external entity" : "entity";
  Stop(s, InvalidInput("the document declares " + what + " '" + name +
                       "'; DTD entity declarations are refused (entity expansion and external "
                       "entities are not allowed in scanner reports)"));
}

std::string ExpatMessage(XML_Error code, bool at_end, uint64_t bytes) {
  if (bytes == 0) {
    return "empty file: no XML document";
  }
  switch (code) {
    case XML_ERROR_NO_ELEMENTS:
    case XML_ERROR_UNCLOSED_TOKEN:
    case XML_ERROR_PARTIAL_CHAR:
    case XML_ERROR_UNCLOSED_CDATA_SECTION:
      if (at_end) {
        return std::string("the file ends before the document is complete (truncated?): ") +
               XML_ErrorString(code);
      }
      break;
    case XML_ERROR_SYNTAX:
      return "not well-formed: syntax error (is this an XML document?)";
    case XML_ERROR_INVALID_TOKEN:
      return "not well-formed: invalid character, byte sequence or markup (invalid UTF-8 is "
             "refused)";
    default:
      break;
  }
  return XML_ErrorString(code);
}

}  // namespace

XmlPosition ExpatReader::position() const {
  if (state_ == nullptr) {
    return {};
  }
  return {XML_GetCurrentLineNumber(state_->parser), XML_GetCurrentColumnNumber(state_->parser) + 1};
}

Status ExpatReader::Parse(ByteSource& source, XmlHandler& handler) {
  State state;
  state.parser = XML_ParserCreate(nullptr);
  if (state.parser == nullptr) {
    return Internal("cannot create XML parser");
  }
  state.handler = &handler;
  static const XmlLimits kLimits;
  state.limits = &kLimits;
  state_ = &state;
  XML_SetUserData(state.parser, &state);
  XML_SetElementHandler(state.parser, StartElement, EndElement);
  XML_SetCharacterDataHandler(state.parser, CharacterData);
  XML_SetEntityDeclHandler(state.parser, EntityDecl);
  XML_SetParamEntityParsing(state.parser, XML_PARAM_ENTITY_PARSING_NEVER);

  constexpr int kChunk = 1 << 20;
  Status result;
  while (true) {
    void* buffer = XML_GetBuffer(state.parser, kChunk);
    if (buffer == nullptr) {
      result = Internal("out of memory in XML parser");
      break;
    }
    auto n = source.Read(static_cast<char*>(buffer), kChunk);
    if (!n.ok()) {
      result = n.status();
      break;
    }
    bool final = *n == 0;
    if (XML_ParseBuffer(state.parser, static_cast<int>(*n), final) == XML_STATUS_ERROR) {
      XmlPosition pos = position();
      std::string where =
          source.name() + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": ";
      if (!state.error.ok()) {
        result = Status(state.error.code(), where + state.error.message());
      } else {
        result = InvalidInput(
            where + ExpatMessage(XML_GetErrorCode(state.parser), final, source.bytes_read()));
      }
      break;
    }
    if (final) {
      break;
    }
  }
  state_ = nullptr;
  XML_ParserFree(state.parser);
  return result;
}

}  // namespace vigil::testing
