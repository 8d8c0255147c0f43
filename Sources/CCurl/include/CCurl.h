// libcurl for Swift: curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call, so each argument type
// gets a typed wrapper. The system's libcurl (Debian's libcurl4-openssl-dev, installed by scripts/setup) is linked.
#ifndef VITALS_CCURL_H
#define VITALS_CCURL_H

#include <curl/curl.h>

typedef size_t (*vitals_curl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*vitals_curl_progress_callback)(void *context, curl_off_t download_total, curl_off_t downloaded,
                                             curl_off_t upload_total, curl_off_t uploaded);

static inline CURLcode vitals_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vitals_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vitals_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vitals_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vitals_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vitals_curl_set_data_callback(CURL *handle, CURLoption option, vitals_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode vitals_curl_set_progress_callback(CURL *handle, vitals_curl_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode vitals_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
