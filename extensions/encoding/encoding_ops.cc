// The `encoding` extension's ops: UTF-8 encoding and decoding for TextEncoder and TextDecoder.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/extension.h"
#include "runtime/op_args.h"
#include "v8-array-buffer.h"
#include "v8-container.h"
#include "v8-primitive.h"
#include "v8-typed-array.h"

namespace v8snap {
namespace {

constexpr int kWriteOptions = v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8;

// The bytes of an ArrayBuffer, SharedArrayBuffer or ArrayBufferView (empty when detached).
struct ByteSpan {
  uint8_t* data = nullptr;
  size_t size = 0;
};

bool BytesOf(v8::Local<v8::Value> value, ByteSpan* span) {
  if (value->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
    span->size = view->ByteLength();
    if (span->size != 0) {
      span->data = static_cast<uint8_t*>(view->Buffer()->Data()) + view->ByteOffset();
    }
    return true;
  }
  if (value->IsArrayBuffer()) {
    v8::Local<v8::ArrayBuffer> buffer = value.As<v8::ArrayBuffer>();
    span->data = static_cast<uint8_t*>(buffer->Data());
    span->size = buffer->ByteLength();
    return true;
  }
  if (value->IsSharedArrayBuffer()) {
    v8::Local<v8::SharedArrayBuffer> buffer = value.As<v8::SharedArrayBuffer>();
    span->data = static_cast<uint8_t*>(buffer->Data());
    span->size = buffer->ByteLength();
    return true;
  }
  return false;
}

// op_encoding_encode(string) -> Uint8Array: UTF-8, lone surrogates as U+FFFD.
void OpEncodingEncode(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsString()) return ThrowTypeError(isolate, "op_encoding_encode: expected a string");
  v8::Local<v8::String> text = info[0].As<v8::String>();
  // A lone surrogate counts 3 bytes, the size of its U+FFFD replacement.
  size_t length = static_cast<size_t>(text->Utf8Length(isolate));
  // Through the isolate's allocator, so the bytes count against the runtime's ArrayBuffer limit,
  // and by hand: NewBackingStore(isolate, length) ends the process when the allocator refuses.
  std::unique_ptr<v8::BackingStore> store;
  if (length == 0) {
    store = v8::ArrayBuffer::NewBackingStore(isolate, 0);
  } else {
    v8::ArrayBuffer::Allocator* allocator = isolate->GetArrayBufferAllocator();
    void* data = allocator->AllocateUninitialized(length);
    if (data == nullptr) {
      isolate->ThrowException(
          v8::Exception::RangeError(OpString(isolate, "Array buffer allocation failed")));
      return;
    }
    store = v8::ArrayBuffer::NewBackingStore(
        data, length,
        [](void* bytes, size_t size, void* owner) {
          static_cast<v8::ArrayBuffer::Allocator*>(owner)->Free(bytes, size);
        },
        allocator);
  }
  if (length != 0) {
    text->WriteUtf8(isolate, static_cast<char*>(store->Data()), static_cast<int>(length), nullptr,
                    kWriteOptions);
  }
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  info.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, length));
}

// op_encoding_encode_into(string, Uint8Array) -> [read, written]: writes as many whole
// characters as fit; `read` counts UTF-16 code units.
void OpEncodingEncodeInto(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsString() || !info[1]->IsUint8Array()) {
    return ThrowTypeError(isolate, "op_encoding_encode_into: expected a string and a Uint8Array");
  }
  v8::Local<v8::String> text = info[0].As<v8::String>();
  ByteSpan dest;
  BytesOf(info[1], &dest);
  int read = 0;
  int written = 0;
  if (dest.size != 0 && text->Length() != 0) {
    // V8 takes an int capacity; a larger view only ever receives what 3 bytes per unit need.
    size_t max_needed = static_cast<size_t>(text->Length()) * 3;
    int capacity = static_cast<int>(std::min(dest.size, max_needed));
    written = text->WriteUtf8(isolate, reinterpret_cast<char*>(dest.data), capacity, &read,
                              kWriteOptions);
  }
  v8::Local<v8::Value> result[] = {v8::Integer::New(isolate, read),
                                   v8::Integer::New(isolate, written)};
  info.GetReturnValue().Set(v8::Array::New(isolate, result, 2));
}

// Decodes UTF-8 to UTF-16 with the WHATWG Encoding Standard's decoder: each maximal invalid
// subpart becomes one U+FFFD. Returns false at the first error when `fatal`.
bool DecodeUtf8(const uint8_t* bytes, size_t size, bool fatal, std::vector<uint16_t>* out) {
  out->reserve(size);
  size_t i = 0;
  while (i < size) {
    uint8_t lead = bytes[i];
    if (lead < 0x80) {
      out->push_back(lead);
      ++i;
      continue;
    }
    int needed;
    uint32_t code_point;
    uint8_t lower = 0x80;
    uint8_t upper = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      needed = 1;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      needed = 2;
      code_point = lead & 0x0F;
      if (lead == 0xE0) lower = 0xA0;  // No overlong forms.
      if (lead == 0xED) upper = 0x9F;  // No surrogates.
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      needed = 3;
      code_point = lead & 0x07;
      if (lead == 0xF0) lower = 0x90;  // No overlong forms.
      if (lead == 0xF4) upper = 0x8F;  // Nothing above U+10FFFF.
    } else {
      if (fatal) return false;
      out->push_back(0xFFFD);
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool valid = true;
    for (int k = 0; k < needed; ++k, ++j) {
      if (j >= size || bytes[j] < lower || bytes[j] > upper) {
        valid = false;
        break;
      }
      code_point = (code_point << 6) | (bytes[j] & 0x3F);
      lower = 0x80;
      upper = 0xBF;
    }
    if (!valid) {
      // The bytes consumed so far are one error; the offending byte is looked at again.
      if (fatal) return false;
      out->push_back(0xFFFD);
      i = j;
      continue;
    }
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      out->push_back(static_cast<uint16_t>(0xD800 + (code_point >> 10)));
      out->push_back(static_cast<uint16_t>(0xDC00 + (code_point & 0x3FF)));
    } else {
      out->push_back(static_cast<uint16_t>(code_point));
    }
    i = j;
  }
  return true;
}

void ThrowInvalidStringLength(v8::Isolate* isolate) {
  isolate->ThrowException(v8::Exception::RangeError(OpString(isolate, "Invalid string length")));
}

// op_encoding_decode(bytes, fatal) -> string, or undefined when `fatal` and the bytes are not
// valid UTF-8 (TextDecoder turns that into its TypeError). `bytes` is an ArrayBuffer,
// SharedArrayBuffer or ArrayBufferView. A byte order mark is kept (TextDecoder strips it).
void OpEncodingDecode(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  ByteSpan bytes;
  if (!BytesOf(info[0], &bytes)) {
    return ThrowTypeError(isolate, "op_encoding_decode: expected an ArrayBuffer or a view");
  }
  bool fatal = info[1]->BooleanValue(isolate);
  if (bytes.size > static_cast<size_t>(v8::String::kMaxLength)) {
    return ThrowInvalidStringLength(isolate);
  }
  if (bytes.size == 0) return info.GetReturnValue().SetEmptyString();
  size_t ascii = 0;
  while (ascii < bytes.size && bytes.data[ascii] < 0x80) ++ascii;
  v8::Local<v8::String> result;
  if (ascii == bytes.size) {
    // All ASCII: a one-byte string, no decoding.
    if (!v8::String::NewFromOneByte(isolate, bytes.data, v8::NewStringType::kNormal,
                                    static_cast<int>(bytes.size))
             .ToLocal(&result)) {
      return ThrowInvalidStringLength(isolate);
    }
  } else {
    std::vector<uint16_t> utf16;
    if (!DecodeUtf8(bytes.data, bytes.size, fatal, &utf16)) return;  // undefined
    if (!v8::String::NewFromTwoByte(isolate, utf16.data(), v8::NewStringType::kNormal,
                                    static_cast<int>(utf16.size()))
             .ToLocal(&result)) {
      return ThrowInvalidStringLength(isolate);
    }
  }
  info.GetReturnValue().Set(result);
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(
    encoding,
    {
        {"op_encoding_encode", v8snap::OpEncodingEncode, 1, v8snap::OpMode::kSync},
        {"op_encoding_encode_into", v8snap::OpEncodingEncodeInto, 2, v8snap::OpMode::kSync},
        {"op_encoding_decode", v8snap::OpEncodingDecode, 2, v8snap::OpMode::kSync},
    });
