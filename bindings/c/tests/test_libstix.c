/*
 * Tests of the C ABI of libstix, written against include/libstix.h.
 *
 * Usage: test_libstix SHARED_DIR
 *   SHARED_DIR is the project's read-only shared/ folder (corpus/, cases/).
 *
 * Prints one line per test and closes with "N passed, M failed"; exits 1
 * when any test failed. Meant to run under valgrind --leak-check=full too,
 * so every handle and string is freed.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libstix.h"

/* ------------------------------------------------------------------ */
/* A tiny harness                                                      */
/* ------------------------------------------------------------------ */

static const char *g_shared;
static const char *g_test;
static int g_check_failures;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "  %s:%d: [%s] check failed: %s\n", __FILE__,    \
                    __LINE__, g_test, #cond);                                \
            g_check_failures++;                                              \
        }                                                                    \
    } while (0)

#define CHECK_RC(expr, want)                                                 \
    do {                                                                     \
        stix_result rc_ = (expr);                                            \
        if (rc_ != (stix_result)(want)) {                                    \
            fprintf(stderr, "  %s:%d: [%s] %s returned %s, wanted %s\n",     \
                    __FILE__, __LINE__, g_test, #expr,                       \
                    stix_result_name(rc_), stix_result_name(want));          \
            g_check_failures++;                                              \
        }                                                                    \
    } while (0)

/* A precondition without which the rest of the test makes no sense. */
#define REQUIRE(cond)                                                        \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "  %s:%d: [%s] required: %s\n", __FILE__,        \
                    __LINE__, g_test, #cond);                                \
            g_check_failures++;                                              \
            return;                                                          \
        }                                                                    \
    } while (0)

static int g_passed, g_failed;

static void run(const char *name, void (*fn)(void)) {
    g_test = name;
    g_check_failures = 0;
    fn();
    if (g_check_failures == 0) {
        g_passed++;
        printf("ok   %s\n", name);
    } else {
        g_failed++;
        printf("FAIL %s (%d failed checks)\n", name, g_check_failures);
    }
    fflush(stdout);
}

#define RUN(fn) run(#fn, fn)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static int str_is(stix_str s, const char *want) {
    size_t n = strlen(want);
    return s.data != NULL && s.len == n && memcmp(s.data, want, n) == 0 &&
           s.data[n] == '\0';
}

static int bytes_eq(const char *a, size_t alen, const char *b, size_t blen) {
    return alen == blen && memcmp(a, b, alen) == 0;
}

static char *shared_path(const char *rel) {
    size_t n = strlen(g_shared) + strlen(rel) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", g_shared, rel);
    return p;
}

/* Reads a whole file; aborts the run when it is missing (a missing corpus
 * must fail loudly, never skip). */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s (is the shared/ folder there?)\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)size + 1);
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    buf[size] = 0;
    *len = (size_t)size;
    return buf;
}

static uint8_t *read_shared(const char *rel, size_t *len) {
    char *p = shared_path(rel);
    uint8_t *data = read_file(p, len);
    free(p);
    return data;
}

/* Finds the first `"key"` in JSON text followed by `:` and a string value
 * and returns the raw bytes between the quotes (escapes left as written). */
static int json_string_field(const char *json, size_t len, const char *key,
                             const char **val, size_t *vlen) {
    size_t klen = strlen(key);
    for (size_t i = 0; i + klen + 2 <= len; i++) {
        if (json[i] != '"' || memcmp(json + i + 1, key, klen) != 0 ||
            json[i + 1 + klen] != '"')
            continue;
        size_t j = i + klen + 2;
        while (j < len && (json[j] == ' ' || json[j] == '\n' ||
                           json[j] == '\t' || json[j] == '\r'))
            j++;
        if (j >= len || json[j] != ':')
            continue;
        j++;
        while (j < len && (json[j] == ' ' || json[j] == '\n' ||
                           json[j] == '\t' || json[j] == '\r'))
            j++;
        if (j >= len || json[j] != '"')
            continue;
        size_t start = ++j;
        while (j < len && json[j] != '"') {
            if (json[j] == '\\')
                j++;
            j++;
        }
        if (j >= len)
            return 0;
        *val = json + start;
        *vlen = j - start;
        return 1;
    }
    return 0;
}

/* Checks that `key` has byte-for-byte the same string value in the input
 * and in the library's serialisation of it. */
static void check_field_kept(const uint8_t *input, size_t input_len,
                             const char *output, size_t output_len,
                             const char *key, const char *expected) {
    const char *in_v = NULL, *out_v = NULL;
    size_t in_n = 0, out_n = 0;
    CHECK(json_string_field((const char *)input, input_len, key, &in_v, &in_n));
    CHECK(json_string_field(output, output_len, key, &out_v, &out_n));
    if (in_v && out_v) {
        CHECK(bytes_eq(in_v, in_n, out_v, out_n));
        CHECK(bytes_eq(in_v, in_n, expected, strlen(expected)));
    }
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void version_and_result_names(void) {
    const char *v = stix_version();
    REQUIRE(v != NULL);
    CHECK(strlen(v) >= 5);
    CHECK(strchr(v, '.') != NULL);
    CHECK(strcmp(stix_result_name(STIX_RESULT_OK), "STIX_RESULT_OK") == 0);
    CHECK(strcmp(stix_result_name(STIX_RESULT_JSON), "STIX_RESULT_JSON") == 0);
    CHECK(strcmp(stix_result_name(STIX_RESULT_PANIC), "STIX_RESULT_PANIC") == 0);
    CHECK(strcmp(stix_result_name(999), "STIX_RESULT_UNKNOWN") == 0);
}

/* Case bindings/python_access_nanosecond_timestamp (log B44), C part:
 * serialise(parse(x)) == x byte-for-byte for created and modified. */
static void bindings_python_access_nanosecond_timestamp(void) {
    size_t len;
    uint8_t *input = read_shared(
        "cases/bindings/python_access_nanosecond_timestamp.json", &len);
    stix_document *doc = NULL;
    stix_error *err = NULL;
    CHECK_RC(stix_document_parse(input, len, &doc, &err), STIX_RESULT_OK);
    CHECK(err == NULL);
    REQUIRE(doc != NULL);
    CHECK(!stix_document_is_bundle(doc));
    REQUIRE(stix_document_object_count(doc) == 1);
    const stix_object *obj = stix_document_object(doc, 0);
    REQUIRE(obj != NULL);
    CHECK(stix_object_is_typed(obj));
    CHECK(stix_object_diagnostic_count(obj) == 0);
    CHECK(str_is(stix_object_created(obj), "2023-11-12T14:16:48.169979860Z"));
    CHECK(str_is(stix_object_modified(obj), "2023-11-12T14:16:48.169979861Z"));
    /* The two differ only in the 9th digit; the order must survive. */
    CHECK(strcmp(stix_object_created(obj).data, stix_object_modified(obj).data) < 0);

    char *json = NULL;
    size_t json_len = 0;
    CHECK_RC(stix_document_object_json(doc, 0, &json, &json_len), STIX_RESULT_OK);
    REQUIRE(json != NULL);
    CHECK(json_len == strlen(json));
    check_field_kept(input, len, json, json_len, "created",
                     "2023-11-12T14:16:48.169979860Z");
    check_field_kept(input, len, json, json_len, "modified",
                     "2023-11-12T14:16:48.169979861Z");
    check_field_kept(input, len, json, json_len, "valid_from",
                     "2021-03-04T05:06:07Z");

    /* A second round trip gives the same bytes. */
    stix_object *again = NULL;
    CHECK_RC(stix_object_parse((const uint8_t *)json, json_len, &again, NULL),
             STIX_RESULT_OK);
    if (again) {
        char *json2 = NULL;
        size_t json2_len = 0;
        CHECK_RC(stix_object_json(again, &json2, &json2_len), STIX_RESULT_OK);
        CHECK(json2 && bytes_eq(json, json_len, json2, json2_len));
        stix_string_free(json2);
        stix_object_free(again);
    }

    /* Streamed from the file, the lone object comes back the same. */
    char *case_path = shared_path("cases/bindings/python_access_nanosecond_timestamp.json");
    stix_reader *reader = NULL;
    CHECK_RC(stix_reader_open_path(case_path, 0, &reader, NULL), STIX_RESULT_OK);
    stix_object *streamed = NULL;
    CHECK_RC(stix_reader_next(reader, &streamed, NULL), STIX_RESULT_OK);
    CHECK(streamed != NULL);
    if (streamed) {
        CHECK(stix_object_is_typed(streamed));
        CHECK(str_is(stix_object_created(streamed), "2023-11-12T14:16:48.169979860Z"));
        CHECK(str_is(stix_object_modified(streamed), "2023-11-12T14:16:48.169979861Z"));
        char *sj = NULL;
        size_t sj_len = 0;
        CHECK_RC(stix_object_json(streamed, &sj, &sj_len), STIX_RESULT_OK);
        CHECK(sj && bytes_eq(json, json_len, sj, sj_len));
        stix_string_free(sj);
        stix_object_free(streamed);
    }
    streamed = (stix_object *)1;
    CHECK_RC(stix_reader_next(reader, &streamed, NULL), STIX_RESULT_OK);
    CHECK(streamed == NULL);
    stix_reader_free(reader);
    free(case_path);

    /* The expectation file says the object is valid. */
    stix_report *report = NULL;
    CHECK_RC(stix_validate(input, len, STIX_VALIDATE_DEFAULT, &report, NULL),
             STIX_RESULT_OK);
    CHECK(report && stix_report_valid(report));
    CHECK(report && stix_report_error_count(report) == 0);
    stix_report_free(report);

    stix_string_free(json);
    stix_document_free(doc);
    free(input);
}

/* Case bindings/ms_precision_preserved_on_output (log B47): three digits
 * stay three digits, no fraction is added to a whole-second timestamp. */
static void bindings_ms_precision_preserved_on_output(void) {
    size_t len;
    uint8_t *input = read_shared(
        "cases/bindings/ms_precision_preserved_on_output.json", &len);
    stix_object *obj = NULL;
    stix_error *err = NULL;
    CHECK_RC(stix_object_parse(input, len, &obj, &err), STIX_RESULT_OK);
    REQUIRE(obj != NULL);
    CHECK(str_is(stix_object_created(obj), "2024-01-24T12:38:07.927Z"));
    CHECK(str_is(stix_object_type(obj), "indicator"));
    CHECK(str_is(stix_object_id(obj),
                 "indicator--5fdd3a16-8a61-49a7-936c-d61319c06515"));
    CHECK(str_is(stix_object_spec_version(obj), "2.1"));

    char *json = NULL;
    size_t json_len = 0;
    CHECK_RC(stix_object_json(obj, &json, &json_len), STIX_RESULT_OK);
    REQUIRE(json != NULL);
    check_field_kept(input, len, json, json_len, "created", "2024-01-24T12:38:07.927Z");
    check_field_kept(input, len, json, json_len, "modified", "2024-01-24T12:38:07.927Z");
    check_field_kept(input, len, json, json_len, "valid_from", "2024-01-24T12:38:07Z");
    CHECK(strstr(json, ".927000") == NULL);

    char *prop = NULL;
    size_t prop_len = 0;
    CHECK_RC(stix_object_property_json(obj, "valid_from", 10, &prop, &prop_len),
             STIX_RESULT_OK);
    CHECK(prop && strcmp(prop, "\"2024-01-24T12:38:07Z\"") == 0);
    CHECK(prop_len == 22);
    stix_string_free(prop);
    prop = (char *)1;
    CHECK_RC(stix_object_property_json(obj, "no_such_property", 16, &prop, NULL),
             STIX_RESULT_OK);
    CHECK(prop == NULL);

    stix_report *report = NULL;
    CHECK_RC(stix_validate(input, len, STIX_VALIDATE_DEFAULT, &report, NULL),
             STIX_RESULT_OK);
    CHECK(report && stix_report_valid(report));
    stix_report_free(report);

    stix_string_free(json);
    stix_object_free(obj);
    free(input);
}

static const char RECOVERY_BUNDLE[] =
    "{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\n"
    " \"objects\": [\n"
    "  {\"type\": \"ipv4-addr\", \"spec_version\": \"2.1\", \"id\": "
    "\"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4\", \"value\": \"198.51.100.3\"},\n"
    "  {\"type\": \"malware\", \"spec_version\": \"2.1\", \"id\": "
    "\"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b\", \"created\": \"yesterday\", "
    "\"modified\": \"2016-04-06T20:07:09.000Z\", \"name\": \"Poison Ivy\", \"is_family\": true},\n"
    "  {\"type\": \"identity\", \"spec_version\": \"2.1\", \"id\": "
    "\"identity--311b2d2d-f010-4473-83ec-1edf84858f4c\", \"created\": "
    "\"2015-12-21T19:59:11.000Z\", \"modified\": \"2015-12-21T19:59:11.000000Z\", "
    "\"name\": \"Cole Powers\", \"identity_class\": \"individual\", \"x_acme_rank\": 3}\n"
    " ]}\n";

/* One bad object in a bundle: the others are read and judged as usual. */
static void per_object_recovery_in_a_bundle(void) {
    stix_document *doc = NULL;
    stix_error *err = NULL;
    CHECK_RC(stix_document_parse((const uint8_t *)RECOVERY_BUNDLE,
                                 strlen(RECOVERY_BUNDLE), &doc, &err),
             STIX_RESULT_OK);
    REQUIRE(doc != NULL);
    CHECK(stix_document_is_bundle(doc));
    CHECK(str_is(stix_document_bundle_id(doc),
                 "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"));
    REQUIRE(stix_document_object_count(doc) == 3);
    CHECK(stix_object_is_typed(stix_document_object(doc, 0)));
    CHECK(!stix_object_is_typed(stix_document_object(doc, 1)));
    CHECK(stix_object_is_typed(stix_document_object(doc, 2)));
    CHECK(str_is(stix_document_object_type(doc, 0), "ipv4-addr"));
    CHECK(str_is(stix_document_object_type(doc, 1), "malware"));
    CHECK(str_is(stix_document_object_id(doc, 1),
                 "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"));
    CHECK(str_is(stix_document_object_id(doc, 2),
                 "identity--311b2d2d-f010-4473-83ec-1edf84858f4c"));
    CHECK(stix_document_object(doc, 3) == NULL);
    CHECK(stix_document_object_id(doc, 3).data == NULL);

    /* The bad object says where it is wrong. */
    const stix_object *bad = stix_document_object(doc, 1);
    REQUIRE(stix_object_diagnostic_count(bad) >= 1);
    stix_diagnostic d;
    CHECK_RC(stix_object_diagnostic(bad, 0, &d), STIX_RESULT_OK);
    CHECK(str_is(d.path, "/objects/1/created"));
    CHECK(d.severity == STIX_SEVERITY_ERROR);
    CHECK(str_is(d.object_id, "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"));
    CHECK(d.rule.data && strncmp(d.rule.data, "STIX-", 5) == 0);
    CHECK(d.message.len > 0);
    /* The position lies on the offending value, `"yesterday"` (the core
     * reports where the JSON reader was when it refused the value). */
    const char *at = strstr(RECOVERY_BUNDLE, "\"yesterday\"");
    const char *line_start = at;
    while (line_start > RECOVERY_BUNDLE && line_start[-1] != '\n')
        line_start--;
    CHECK(d.line == 4);
    uint64_t value_column = (uint64_t)(at - line_start) + 1;
    CHECK(d.column >= value_column && d.column < value_column + strlen("\"yesterday\""));
    CHECK_RC(stix_object_diagnostic(bad, 99, &d), STIX_RESULT_OUT_OF_RANGE);
    CHECK(stix_document_diagnostic_count(doc) >= 1);

    /* The raw object is still there, as written. */
    char *json = NULL;
    CHECK_RC(stix_document_object_json(doc, 1, &json, NULL), STIX_RESULT_OK);
    CHECK(json && strstr(json, "\"created\":\"yesterday\"") != NULL);
    stix_string_free(json);
    /* Custom properties survive on the typed object. */
    CHECK_RC(stix_document_object_json(doc, 2, &json, NULL), STIX_RESULT_OK);
    CHECK(json && strstr(json, "\"x_acme_rank\":3") != NULL);
    CHECK(json && strstr(json, "\"modified\":\"2015-12-21T19:59:11.000000Z\"") != NULL);
    stix_string_free(json);
    json = (char *)1;
    CHECK_RC(stix_document_object_json(doc, 3, &json, NULL), STIX_RESULT_OUT_OF_RANGE);
    CHECK(json == NULL);

    /* The whole document reads back to the same objects. */
    size_t doc_len = 0;
    CHECK_RC(stix_document_json(doc, &json, &doc_len), STIX_RESULT_OK);
    stix_document *doc2 = NULL;
    CHECK_RC(stix_document_parse((const uint8_t *)json, doc_len, &doc2, NULL),
             STIX_RESULT_OK);
    CHECK(doc2 && stix_document_object_count(doc2) == 3);
    stix_document_free(doc2);
    stix_string_free(json);
    stix_document_free(doc);

    /* Validation judges each object on its own. */
    stix_report *report = NULL;
    CHECK_RC(stix_validate((const uint8_t *)RECOVERY_BUNDLE, strlen(RECOVERY_BUNDLE),
                           STIX_VALIDATE_DEFAULT, &report, &err),
             STIX_RESULT_OK);
    REQUIRE(report != NULL);
    CHECK(!stix_report_valid(report));
    CHECK(stix_report_object_count(report) == 3);
    CHECK(stix_report_invalid_count(report) == 1);
    CHECK(stix_report_object_valid(report, 0));
    CHECK(!stix_report_object_valid(report, 1));
    CHECK(stix_report_object_valid(report, 2));
    CHECK(str_is(stix_report_object_id(report, 1),
                 "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"));
    CHECK(stix_report_error_count(report) >= 1);
    int found = 0;
    for (size_t i = 0; i < stix_report_diagnostic_count(report); i++) {
        CHECK_RC(stix_report_diagnostic(report, i, &d), STIX_RESULT_OK);
        if (d.severity == STIX_SEVERITY_ERROR && str_is(d.path, "/objects/1/created"))
            found = 1;
    }
    CHECK(found);
    char *rj = NULL;
    CHECK_RC(stix_report_json(report, &rj, NULL), STIX_RESULT_OK);
    CHECK(rj && rj[0] == '{' && strstr(rj, "/objects/1/created") != NULL);
    stix_string_free(rj);
    stix_report_free(report);
}

/* Every pointer argument is checked; out-parameters are cleared. */
static void null_arguments_are_refused(void) {
    const uint8_t data[] = "{}";
    stix_document *doc = (stix_document *)1;
    stix_error *err = NULL;
    CHECK_RC(stix_document_parse(NULL, 2, &doc, &err), STIX_RESULT_NULL_ARGUMENT);
    CHECK(doc == NULL);
    REQUIRE(err != NULL);
    CHECK(stix_error_code(err) == STIX_RESULT_NULL_ARGUMENT);
    CHECK(strstr(stix_error_message(err).data, "data") != NULL);
    stix_error_free(err);
    CHECK_RC(stix_document_parse(data, 2, NULL, NULL), STIX_RESULT_NULL_ARGUMENT);

    stix_report *report = (stix_report *)1;
    CHECK_RC(stix_validate(NULL, 0, 0, &report, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK(report == NULL);
    CHECK_RC(stix_validate(data, 2, 0, NULL, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK_RC(stix_validate_path(NULL, 0, &report, NULL), STIX_RESULT_NULL_ARGUMENT);

    stix_object *obj = (stix_object *)1;
    CHECK_RC(stix_object_parse(NULL, 0, &obj, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK(obj == NULL);

    stix_reader *reader = (stix_reader *)1;
    CHECK_RC(stix_reader_open_path(NULL, 0, &reader, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK(reader == NULL);
    CHECK_RC(stix_reader_open_bytes(NULL, 0, 0, &reader, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK_RC(stix_reader_next(NULL, &obj, NULL), STIX_RESULT_NULL_ARGUMENT);

    stix_pattern_result *pr = (stix_pattern_result *)1;
    CHECK_RC(stix_pattern_check(NULL, 0, STIX_SPEC_2_1, &pr, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK(pr == NULL);
    CHECK_RC(stix_pattern_check("[a:b = 1]", 9, STIX_SPEC_2_1, NULL, NULL),
             STIX_RESULT_NULL_ARGUMENT);

    char *s = (char *)1;
    CHECK_RC(stix_document_object_json(NULL, 0, &s, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK(s == NULL);
    CHECK_RC(stix_object_json(NULL, &s, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK_RC(stix_report_json(NULL, &s, NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK_RC(stix_document_json(NULL, &s, NULL), STIX_RESULT_NULL_ARGUMENT);
    stix_diagnostic d;
    CHECK_RC(stix_report_diagnostic(NULL, 0, &d), STIX_RESULT_NULL_ARGUMENT);
    CHECK_RC(stix_object_diagnostic(NULL, 0, &d), STIX_RESULT_NULL_ARGUMENT);
    stix_pattern_error pe;
    CHECK_RC(stix_pattern_result_error(NULL, 0, &pe), STIX_RESULT_NULL_ARGUMENT);
    CHECK_RC(stix_bundle_builder_new(NULL), STIX_RESULT_NULL_ARGUMENT);
    CHECK_RC(stix_bundle_builder_add_json(NULL, data, 2, NULL), STIX_RESULT_NULL_ARGUMENT);

    /* Accessors give neutral values. */
    CHECK(stix_document_object_count(NULL) == 0);
    CHECK(stix_document_object(NULL, 0) == NULL);
    CHECK(!stix_document_is_bundle(NULL));
    CHECK(stix_object_id(NULL).data == NULL);
    CHECK(stix_object_created(NULL).data == NULL);
    CHECK(!stix_object_is_typed(NULL));
    CHECK(!stix_report_valid(NULL));
    CHECK(stix_report_diagnostic_count(NULL) == 0);
    CHECK(!stix_pattern_result_valid(NULL));
    CHECK(stix_pattern_result_canonical(NULL).data == NULL);
    CHECK(stix_error_code(NULL) == STIX_RESULT_NULL_ARGUMENT);
    CHECK(stix_error_message(NULL).data == NULL);
    CHECK(stix_error_line(NULL) == 0);
    CHECK(stix_reader_object_count(NULL) == 0);
    CHECK(stix_bundle_builder_count(NULL) == 0);

    /* Every free accepts NULL. */
    stix_document_free(NULL);
    stix_object_free(NULL);
    stix_report_free(NULL);
    stix_reader_free(NULL);
    stix_pattern_result_free(NULL);
    stix_bundle_builder_free(NULL);
    stix_error_free(NULL);
    stix_string_free(NULL);

    /* Unknown flags and versions are refused, not ignored. */
    CHECK_RC(stix_validate(data, 2, 0x100, &report, NULL), STIX_RESULT_INVALID_ARGUMENT);
    CHECK_RC(stix_pattern_check("[a:b = 1]", 9, 22, &pr, NULL), STIX_RESULT_INVALID_ARGUMENT);
    CHECK_RC(stix_reader_open_fd(-1, 0, &reader, NULL), STIX_RESULT_INVALID_ARGUMENT);
}

static void invalid_utf8_is_located(void) {
    static const char bad[] =
        "{\"type\": \"bundle\",\n \"id\": \"bundle--\xff\xfe\", \"objects\": []}";
    stix_document *doc = NULL;
    stix_error *err = NULL;
    CHECK_RC(stix_document_parse((const uint8_t *)bad, strlen(bad), &doc, &err),
             STIX_RESULT_INVALID_UTF8);
    CHECK(doc == NULL);
    REQUIRE(err != NULL);
    CHECK(stix_error_code(err) == STIX_RESULT_INVALID_UTF8);
    CHECK(stix_error_line(err) == 2);
    CHECK(stix_error_column(err) == 17);
    CHECK(strstr(stix_error_message(err).data, "UTF-8") != NULL);
    stix_error_free(err);

    stix_report *report = NULL;
    CHECK_RC(stix_validate((const uint8_t *)bad, strlen(bad), 0, &report, NULL),
             STIX_RESULT_INVALID_UTF8);
    CHECK(report == NULL);
    stix_object *obj = NULL;
    CHECK_RC(stix_object_parse((const uint8_t *)bad, strlen(bad), &obj, NULL),
             STIX_RESULT_INVALID_UTF8);
    stix_pattern_result *pr = NULL;
    CHECK_RC(stix_pattern_check("[file:name = '\xc3']", 18, STIX_SPEC_2_1, &pr, NULL),
             STIX_RESULT_INVALID_UTF8);
    CHECK(pr == NULL);

    /* The streaming reader sees bytes, not text: a bad byte inside a
     * string is still refused, with a position. */
    stix_reader *reader = NULL;
    CHECK_RC(stix_reader_open_bytes((const uint8_t *)bad, strlen(bad), 0, &reader, NULL),
             STIX_RESULT_OK);
    stix_object *o = NULL;
    stix_result rc = stix_reader_next(reader, &o, &err);
    while (rc == STIX_RESULT_OK && o != NULL) {
        stix_object_free(o);
        rc = stix_reader_next(reader, &o, NULL);
    }
    CHECK(rc != STIX_RESULT_PANIC);
    stix_error_free(err);
    stix_reader_free(reader);
}

static void malformed_json_has_line_and_column(void) {
    static const char bad[] =
        "{\n"
        "  \"type\": \"bundle\",\n"
        "  \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\n"
        "  \"objects\": [ {\"type\": \"ipv4-addr\", \"value\": } ]\n"
        "}\n";
    stix_document *doc = NULL;
    stix_error *err = NULL;
    CHECK_RC(stix_document_parse((const uint8_t *)bad, strlen(bad), &doc, &err),
             STIX_RESULT_JSON);
    CHECK(doc == NULL);
    REQUIRE(err != NULL);
    CHECK(stix_error_line(err) == 4);
    /* The value is missing at the `}` in column 47. */
    CHECK(stix_error_column(err) == 47);
    CHECK(stix_error_message(err).len > 0);
    stix_error_free(err);

    err = NULL;
    stix_report *report = NULL;
    CHECK_RC(stix_validate((const uint8_t *)bad, strlen(bad), 0, &report, &err),
             STIX_RESULT_JSON);
    CHECK(err && stix_error_line(err) == 4);
    stix_error_free(err);

    /* Truncated input and trailing garbage. */
    CHECK_RC(stix_document_parse((const uint8_t *)bad, 40, &doc, NULL), STIX_RESULT_JSON);
    static const char empty[] = "";
    CHECK_RC(stix_document_parse((const uint8_t *)empty, 0, &doc, NULL), STIX_RESULT_JSON);
    static const char arr[] = "[1, 2, 3]";
    stix_result rc = stix_document_parse((const uint8_t *)arr, strlen(arr), &doc, NULL);
    CHECK(rc == STIX_RESULT_SHAPE || rc == STIX_RESULT_JSON);
    CHECK(doc == NULL);

    /* A lone object with a bad property: strict parse names the path. */
    static const char obj_text[] =
        "{\"type\": \"indicator\", \"spec_version\": \"2.1\", \"id\": "
        "\"indicator--5fdd3a16-8a61-49a7-936c-d61319c06515\", "
        "\"created\": \"2024-13-45T00:00:00Z\", \"modified\": \"2024-01-24T12:38:07.927Z\", "
        "\"pattern\": \"[ipv4-addr:value = '198.51.100.7']\", \"pattern_type\": \"stix\", "
        "\"valid_from\": \"2024-01-24T12:38:07Z\"}";
    stix_object *obj = NULL;
    err = NULL;
    CHECK_RC(stix_object_parse((const uint8_t *)obj_text, strlen(obj_text), &obj, &err),
             STIX_RESULT_OBJECT);
    CHECK(obj == NULL);
    CHECK(err && str_is(stix_error_path(err), "/created"));
    CHECK(err && stix_error_rule(err).data != NULL);
    stix_error_free(err);
}

static char *nested(const char *prefix, const char *open, const char *middle,
                    const char *close, size_t depth, const char *suffix, size_t *len) {
    size_t n = strlen(prefix) + depth * (strlen(open) + strlen(close)) + strlen(middle) +
               strlen(suffix);
    char *s = malloc(n + 1), *p = s;
    p += sprintf(p, "%s", prefix);
    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "%s", open);
    p += sprintf(p, "%s", middle);
    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "%s", close);
    p += sprintf(p, "%s", suffix);
    *len = (size_t)(p - s);
    return s;
}

/* True when some diagnostic of `doc` has `rule` and a message containing `needle`. */
static int document_has_diagnostic(const stix_document *doc, const char *rule,
                                   const char *needle) {
    size_t n = stix_document_diagnostic_count(doc);
    for (size_t i = 0; i < n; i++) {
        stix_diagnostic d;
        if (stix_document_diagnostic(doc, i, &d) != STIX_RESULT_OK)
            continue;
        if (str_is(d.rule, rule) && d.message.data && strstr(d.message.data, needle))
            return 1;
    }
    return 0;
}

/* Absurd nesting never overflows the stack. Well-formed JSON nested beyond
 * the parser's limit inside one element of a bundle is that element's
 * fault: the element is reported invalid and its good neighbour is kept.
 * Nesting that is also malformed (never closed) is a JSON error. */
static void deep_nesting_is_refused(void) {
    static const size_t depths[] = {200, 10000, 200000};
    static const char good[] =
        "{\"type\": \"x-fine\", \"id\": \"x-fine--0b6a2b62-9d1f-4e5c-8f3a-2f0c1d7e9a11\"}";
    for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
        size_t len;
        char suffix[256];
        snprintf(suffix, sizeof suffix, "}, %s]}", good);
        char *doc_text = nested(
            "{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","
            " \"objects\": [{\"type\": \"x-deep\", \"id\": "
            "\"x-deep--28bb3599-77cd-5a82-a950-b5bc3caf07c4\", \"x_v\": ",
            "[", "1", "]", depths[k], suffix, &len);

        /* Whole-document parse: both elements are there, the deep one is
         * invalid with a parse diagnostic that says why. */
        stix_document *doc = NULL;
        stix_error *err = NULL;
        CHECK_RC(stix_document_parse((const uint8_t *)doc_text, len, &doc, &err),
                 STIX_RESULT_OK);
        CHECK(err == NULL);
        REQUIRE(doc != NULL);
        CHECK(stix_document_object_count(doc) == 2);
        CHECK(str_is(stix_document_object_id(doc, 1),
                     "x-fine--0b6a2b62-9d1f-4e5c-8f3a-2f0c1d7e9a11"));
        CHECK(document_has_diagnostic(doc, "STIX-PARSE-01", "recursion limit"));
        stix_document_free(doc);

        /* Validation: one invalid object, the neighbour valid. */
        stix_report *report = NULL;
        CHECK_RC(stix_validate((const uint8_t *)doc_text, len, 0, &report, NULL),
                 STIX_RESULT_OK);
        REQUIRE(report != NULL);
        CHECK(!stix_report_valid(report));
        CHECK(stix_report_object_count(report) == 2);
        CHECK(stix_report_invalid_count(report) == 1);
        CHECK(!stix_report_object_valid(report, 0));
        CHECK(stix_report_object_valid(report, 1));
        stix_report_free(report);

        /* Streaming: the deep element comes back as an untyped object with
         * its diagnostic, then the good one, then the end. */
        stix_reader *reader = NULL;
        CHECK_RC(stix_reader_open_bytes((const uint8_t *)doc_text, len, 0, &reader, NULL),
                 STIX_RESULT_OK);
        stix_object *o = NULL;
        CHECK_RC(stix_reader_next(reader, &o, NULL), STIX_RESULT_OK);
        CHECK(o != NULL && !stix_object_is_typed(o));
        CHECK(o != NULL && stix_object_diagnostic_count(o) > 0);
        stix_object_free(o);
        o = NULL;
        CHECK_RC(stix_reader_next(reader, &o, NULL), STIX_RESULT_OK);
        CHECK(o != NULL &&
              str_is(stix_object_id(o), "x-fine--0b6a2b62-9d1f-4e5c-8f3a-2f0c1d7e9a11"));
        stix_object_free(o);
        o = NULL;
        CHECK_RC(stix_reader_next(reader, &o, NULL), STIX_RESULT_OK);
        CHECK(o == NULL);
        stix_reader_free(reader);
        free(doc_text);

        /* The same nesting never closed: a JSON error with a position, and
         * a reader that refuses to go on after it. */
        doc_text = nested(
            "{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","
            " \"objects\": [{\"type\": \"x-deep\", \"id\": "
            "\"x-deep--28bb3599-77cd-5a82-a950-b5bc3caf07c4\", \"x_v\": ",
            "[", "1", "", depths[k], "", &len);
        doc = NULL;
        err = NULL;
        CHECK_RC(stix_document_parse((const uint8_t *)doc_text, len, &doc, &err),
                 STIX_RESULT_JSON);
        CHECK(doc == NULL);
        CHECK(err && stix_error_line(err) == 1 && stix_error_column(err) > 0);
        stix_error_free(err);
        report = NULL;
        CHECK_RC(stix_validate((const uint8_t *)doc_text, len, 0, &report, NULL),
                 STIX_RESULT_JSON);
        CHECK(report == NULL);
        reader = NULL;
        CHECK_RC(stix_reader_open_bytes((const uint8_t *)doc_text, len, 0, &reader, NULL),
                 STIX_RESULT_OK);
        o = NULL;
        CHECK_RC(stix_reader_next(reader, &o, NULL), STIX_RESULT_JSON);
        CHECK(o == NULL);
        CHECK_RC(stix_reader_next(reader, &o, NULL), STIX_RESULT_UNUSABLE);
        stix_reader_free(reader);
        free(doc_text);

        /* A lone object nested too deep fails cleanly (no crash, no handle). */
        char *obj_text = nested("", "{\"a\":", "1", "}", depths[k], "", &len);
        stix_object *obj = NULL;
        err = NULL;
        stix_result rc = stix_object_parse((const uint8_t *)obj_text, len, &obj, &err);
        CHECK(rc != STIX_RESULT_OK && rc != STIX_RESULT_PANIC);
        CHECK(obj == NULL);
        CHECK(err != NULL && stix_error_code(err) == rc);
        stix_error_free(err);
        free(obj_text);

        char *pattern = nested("", "(", "[a:b = 1]", ")", depths[k], "", &len);
        size_t plen = len;
        stix_pattern_result *pr = NULL;
        CHECK_RC(stix_pattern_check(pattern, plen, STIX_SPEC_2_1, &pr, NULL), STIX_RESULT_OK);
        CHECK(pr && !stix_pattern_result_valid(pr));
        stix_pattern_error pe;
        if (pr && stix_pattern_result_error_count(pr) > 0) {
            CHECK_RC(stix_pattern_result_error(pr, 0, &pe), STIX_RESULT_OK);
            CHECK(str_is(pe.kind, "nesting_too_deep"));
        }
        stix_pattern_result_free(pr);
        free(pattern);
    }
}

static void patterns_are_checked(void) {
    stix_pattern_result *pr = NULL;
    stix_error *err = NULL;
    /* Extra bytes after `len` are not read: input need not end in NUL. */
    static const char buf[] =
        "[ipv4-addr:value = '198.51.100.1']   OR  [domain-name:value='evil.example']GARBAGE";
    size_t len = strlen(buf) - strlen("GARBAGE");
    CHECK_RC(stix_pattern_check(buf, len, STIX_SPEC_2_1, &pr, &err), STIX_RESULT_OK);
    REQUIRE(pr != NULL);
    CHECK(stix_pattern_result_valid(pr));
    CHECK(stix_pattern_result_error_count(pr) == 0);
    CHECK(str_is(stix_pattern_result_canonical(pr),
                 "[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'evil.example']"));
    stix_str obs = stix_pattern_result_observables_json(pr);
    REQUIRE(obs.data != NULL);
    CHECK(obs.data[0] == '{');
    CHECK(strstr(obs.data, "\"198.51.100.1\"") != NULL);
    CHECK(strstr(obs.data, "\"evil.example\"") != NULL);
    CHECK(strstr(obs.data, "\"flat\":true") != NULL);
    stix_pattern_result_free(pr);

    /* An invalid pattern is a result, with positions. */
    static const char within0[] = "[file:name = 'a'] WITHIN 0 SECONDS";
    CHECK_RC(stix_pattern_check(within0, strlen(within0), STIX_SPEC_2_1, &pr, NULL),
             STIX_RESULT_OK);
    REQUIRE(pr != NULL);
    CHECK(!stix_pattern_result_valid(pr));
    CHECK(stix_pattern_result_canonical(pr).data == NULL);
    CHECK(stix_pattern_result_observables_json(pr).data == NULL);
    REQUIRE(stix_pattern_result_error_count(pr) >= 1);
    stix_pattern_error pe;
    CHECK_RC(stix_pattern_result_error(pr, 0, &pe), STIX_RESULT_OK);
    CHECK(pe.line == 1 && pe.column == 26);
    CHECK(pe.message.len > 0);
    CHECK_RC(stix_pattern_result_error(pr, 50, &pe), STIX_RESULT_OUT_OF_RANGE);
    stix_pattern_result_free(pr);

    /* Syntax errors on a later line. */
    static const char multi[] = "[file:name = 'a']\nAND [file:size >]";
    CHECK_RC(stix_pattern_check(multi, strlen(multi), STIX_SPEC_2_1, &pr, NULL),
             STIX_RESULT_OK);
    REQUIRE(pr != NULL);
    CHECK(!stix_pattern_result_valid(pr));
    if (stix_pattern_result_error_count(pr) > 0) {
        stix_pattern_result_error(pr, 0, &pe);
        CHECK(pe.line == 2);
        CHECK(str_is(pe.kind, "syntax"));
    }
    stix_pattern_result_free(pr);

    /* EXISTS is STIX 2.1 only. */
    static const char ex2[] = "[EXISTS file:name]";
    CHECK_RC(stix_pattern_check(ex2, strlen(ex2), STIX_SPEC_2_1, &pr, NULL), STIX_RESULT_OK);
    CHECK(pr && stix_pattern_result_valid(pr));
    stix_pattern_result_free(pr);
    CHECK_RC(stix_pattern_check(ex2, strlen(ex2), STIX_SPEC_2_0, &pr, NULL), STIX_RESULT_OK);
    CHECK(pr && !stix_pattern_result_valid(pr));
    stix_pattern_result_free(pr);

    /* Lint warnings leave the pattern valid. */
    static const char md5[] = "[file:hashes.MD5 = 'abc']";
    CHECK_RC(stix_pattern_check(md5, strlen(md5), STIX_SPEC_2_1, &pr, NULL), STIX_RESULT_OK);
    CHECK(pr && stix_pattern_result_valid(pr));
    CHECK(pr && stix_pattern_result_warning_count(pr) >= 1);
    if (pr && stix_pattern_result_warning_count(pr) >= 1) {
        CHECK_RC(stix_pattern_result_warning(pr, 0, &pe), STIX_RESULT_OK);
        CHECK(str_is(pe.kind, "hash_value"));
    }
    stix_pattern_result_free(pr);

    /* An empty pattern is invalid, not a failure. */
    CHECK_RC(stix_pattern_check(buf, 0, STIX_SPEC_2_1, &pr, NULL), STIX_RESULT_OK);
    CHECK(pr && !stix_pattern_result_valid(pr));
    stix_pattern_result_free(pr);
}

/* Streaming over a file, a descriptor and memory gives the same objects
 * as the in-memory parse. */
static void reader_streams_a_corpus_bundle(void) {
    const char *rel = "corpus/real/valid/oasis-cti-stix2-json-schemas/poisonivy.json";
    size_t len;
    uint8_t *data = read_shared(rel, &len);
    stix_document *doc = NULL;
    CHECK_RC(stix_document_parse(data, len, &doc, NULL), STIX_RESULT_OK);
    REQUIRE(doc != NULL);
    size_t n = stix_document_object_count(doc);
    CHECK(n > 10);

    char *path = shared_path(rel);
    for (int mode = 0; mode < 3; mode++) {
        stix_reader *reader = NULL;
        stix_error *err = NULL;
        int fd = -1;
        if (mode == 0) {
            CHECK_RC(stix_reader_open_path(path, 0, &reader, &err), STIX_RESULT_OK);
        } else if (mode == 1) {
            fd = open(path, O_RDONLY);
            REQUIRE(fd >= 0);
            CHECK_RC(stix_reader_open_fd(fd, 0, &reader, &err), STIX_RESULT_OK);
            /* The reader has its own duplicate. */
            close(fd);
        } else {
            CHECK_RC(stix_reader_open_bytes(data, len, 0, &reader, &err), STIX_RESULT_OK);
        }
        REQUIRE(reader != NULL);
        size_t i = 0;
        for (;;) {
            stix_object *o = NULL;
            stix_result rc = stix_reader_next(reader, &o, &err);
            CHECK(rc == STIX_RESULT_OK);
            if (rc != STIX_RESULT_OK || o == NULL)
                break;
            stix_str want = stix_document_object_id(doc, i);
            stix_str got = stix_object_id(o);
            CHECK(want.data && got.data && bytes_eq(want.data, want.len, got.data, got.len));
            char *a = NULL, *b = NULL;
            size_t alen = 0, blen = 0;
            stix_object_json(o, &a, &alen);
            stix_document_object_json(doc, i, &b, &blen);
            CHECK(a && b && bytes_eq(a, alen, b, blen));
            stix_string_free(a);
            stix_string_free(b);
            stix_object_free(o);
            i++;
        }
        CHECK(i == n);
        CHECK(stix_reader_object_count(reader) == n);
        CHECK(stix_reader_bundle_id(reader).data != NULL);
        CHECK(bytes_eq(stix_reader_bundle_id(reader).data, stix_reader_bundle_id(reader).len,
                       stix_document_bundle_id(doc).data, stix_document_bundle_id(doc).len));
        /* After the end, the end again. */
        stix_object *o = (stix_object *)1;
        CHECK_RC(stix_reader_next(reader, &o, NULL), STIX_RESULT_OK);
        CHECK(o == NULL);
        stix_reader_free(reader);
    }

    /* A missing file is an I/O error. */
    stix_reader *reader = NULL;
    stix_error *err = NULL;
    CHECK_RC(stix_reader_open_path("/nonexistent/libstix/none.json", 0, &reader, &err),
             STIX_RESULT_IO);
    CHECK(err && strstr(stix_error_message(err).data, "none.json") != NULL);
    stix_error_free(err);

    /* A per-object size limit keeps memory bounded: an object over it ends
     * the stream with TOO_LARGE and its path. */
    CHECK_RC(stix_reader_open_bytes(data, len, 256, &reader, NULL), STIX_RESULT_OK);
    stix_result rc;
    stix_object *o = NULL;
    size_t read = 0;
    while ((rc = stix_reader_next(reader, &o, &err)) == STIX_RESULT_OK && o) {
        stix_object_free(o);
        read++;
    }
    CHECK(rc == STIX_RESULT_TOO_LARGE);
    CHECK(err && stix_error_path(err).data && strncmp(stix_error_path(err).data, "/objects/", 9) == 0);
    CHECK(read < n);
    stix_error_free(err);
    stix_reader_free(reader);

    free(path);
    stix_document_free(doc);
    free(data);
}

static void validate_path_matches_validate_in_memory(void) {
    const char *rel = "corpus/real/valid/oasis-cti-stix2-json-schemas/apt1.json";
    size_t len;
    uint8_t *data = read_shared(rel, &len);
    char *path = shared_path(rel);
    stix_report *a = NULL, *b = NULL;
    CHECK_RC(stix_validate(data, len, STIX_VALIDATE_DEFAULT, &a, NULL), STIX_RESULT_OK);
    CHECK_RC(stix_validate_path(path, STIX_VALIDATE_DEFAULT, &b, NULL), STIX_RESULT_OK);
    REQUIRE(a && b);
    CHECK(stix_report_object_count(a) > 0);
    CHECK(stix_report_object_count(a) == stix_report_object_count(b));
    CHECK(stix_report_diagnostic_count(a) == stix_report_diagnostic_count(b));
    CHECK(stix_report_error_count(a) == stix_report_error_count(b));
    CHECK(stix_report_valid(a) == stix_report_valid(b));
    CHECK(stix_report_error_count(a) + stix_report_warning_count(a) ==
          stix_report_diagnostic_count(a));
    /* A file from the valid corpus has no errors. */
    CHECK(stix_report_error_count(a) == 0);
    CHECK(stix_report_valid(a));
    /* Warnings as errors can only make more objects invalid. */
    stix_report *strict = NULL;
    CHECK_RC(stix_validate(data, len, STIX_VALIDATE_STRICT | STIX_VALIDATE_WARNINGS_AS_ERRORS,
                           &strict, NULL),
             STIX_RESULT_OK);
    CHECK(strict && stix_report_invalid_count(strict) >= stix_report_invalid_count(a));
    CHECK(strict && (stix_report_warning_count(a) == 0 || !stix_report_valid(strict)));
    stix_report_free(strict);
    stix_report_free(a);
    stix_report_free(b);

    stix_error *err = NULL;
    CHECK_RC(stix_validate_path("/nonexistent/x.json", 0, &b, &err), STIX_RESULT_IO);
    CHECK(b == NULL);
    stix_error_free(err);
    free(path);
    free(data);
}

static void bundle_builder_round_trips(void) {
    stix_bundle_builder *b = NULL;
    CHECK_RC(stix_bundle_builder_new(&b), STIX_RESULT_OK);
    REQUIRE(b != NULL);
    char obj[512];
    const size_t n = 500;
    for (size_t i = 0; i < n; i++) {
        int m = snprintf(obj, sizeof obj,
                         "{\"type\": \"indicator\", \"spec_version\": \"2.1\", "
                         "\"id\": \"indicator--5fdd3a16-8a61-49a7-936c-%012zx\", "
                         "\"created\": \"2024-01-24T12:38:07.927Z\", "
                         "\"modified\": \"2024-01-24T12:38:07.927123456Z\", "
                         "\"pattern\": \"[ipv4-addr:value = '198.51.%zu.%zu']\", "
                         "\"pattern_type\": \"stix\", \"valid_from\": \"2024-01-24T12:38:07Z\"}",
                         i, i / 256, i % 256);
        CHECK_RC(stix_bundle_builder_add_json(b, (const uint8_t *)obj, (size_t)m, NULL),
                 STIX_RESULT_OK);
    }
    /* A bad object is refused and leaves the bundle as it was. */
    static const char bad[] = "{\"type\": \"indicator\", \"id\": \"nope\"}";
    stix_error *err = NULL;
    CHECK_RC(stix_bundle_builder_add_json(b, (const uint8_t *)bad, strlen(bad), &err),
             STIX_RESULT_OBJECT);
    CHECK(err != NULL);
    stix_error_free(err);
    CHECK(stix_bundle_builder_count(b) == n);

    /* An object handle from a parse can be added too. */
    size_t len;
    uint8_t *input = read_shared("cases/bindings/python_access_nanosecond_timestamp.json", &len);
    stix_object *o = NULL;
    CHECK_RC(stix_object_parse(input, len, &o, NULL), STIX_RESULT_OK);
    CHECK_RC(stix_bundle_builder_add_object(b, o, NULL), STIX_RESULT_OK);
    stix_object_free(o);
    free(input);
    CHECK(stix_bundle_builder_count(b) == n + 1);

    char *json = NULL;
    size_t json_len = 0;
    CHECK_RC(stix_bundle_builder_json(b, &json, &json_len), STIX_RESULT_OK);
    REQUIRE(json != NULL);
    stix_document *doc = NULL;
    CHECK_RC(stix_document_parse((const uint8_t *)json, json_len, &doc, NULL), STIX_RESULT_OK);
    CHECK(doc && stix_document_is_bundle(doc));
    CHECK(doc && stix_document_object_count(doc) == n + 1);
    CHECK(doc && str_is(stix_object_modified(stix_document_object(doc, 7)),
                        "2024-01-24T12:38:07.927123456Z"));
    CHECK(doc && str_is(stix_object_created(stix_document_object(doc, n)),
                        "2023-11-12T14:16:48.169979860Z"));
    CHECK(doc && stix_document_bundle_id(doc).data &&
          strncmp(stix_document_bundle_id(doc).data, "bundle--", 8) == 0);
    stix_report *report = NULL;
    CHECK_RC(stix_validate((const uint8_t *)json, json_len, 0, &report, NULL), STIX_RESULT_OK);
    CHECK(report && stix_report_valid(report));
    stix_report_free(report);
    stix_document_free(doc);
    stix_string_free(json);
    stix_bundle_builder_free(b);
}

/* Strings that hold NUL bytes keep their full length. */
static void interior_nul_keeps_length(void) {
    static const char text[] =
        "{\"type\": \"x-thing\", \"id\": \"x-thing\\u0000--1\", \"name\": \"a\\u0000b\"}";
    stix_document *doc = NULL;
    CHECK_RC(stix_document_parse((const uint8_t *)text, strlen(text), &doc, NULL),
             STIX_RESULT_OK);
    REQUIRE(doc != NULL);
    stix_str id = stix_document_object_id(doc, 0);
    CHECK(id.data != NULL && id.len == 11);
    CHECK(id.data && memcmp(id.data, "x-thing\0--1", 11) == 0);
    char *json = NULL;
    size_t json_len = 0;
    CHECK_RC(stix_document_object_json(doc, 0, &json, &json_len), STIX_RESULT_OK);
    CHECK(json && strlen(json) == json_len);
    CHECK(json && strstr(json, "a\\u0000b") != NULL);
    stix_string_free(json);
    stix_document_free(doc);
}

/* Read-only functions on one document may run on several threads at once
 * (the header promises it); each thread must see the same bytes. */
struct reader_job {
    const stix_document *doc;
    size_t mismatches;
    char *first;
    size_t first_len;
};

static void *read_all(void *arg) {
    struct reader_job *job = arg;
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < stix_document_object_count(job->doc); i++) {
            const stix_object *o = stix_document_object(job->doc, i);
            (void)stix_object_created(o);
            (void)stix_object_modified(o);
            char *j = NULL;
            size_t n = 0;
            if (stix_object_json(o, &j, &n) != STIX_RESULT_OK)
                job->mismatches++;
            if (i == 0 && round == 0) {
                job->first = j;
                job->first_len = n;
            } else {
                stix_string_free(j);
            }
        }
    }
    return NULL;
}

static void documents_are_shared_between_threads(void) {
    size_t len;
    uint8_t *data = read_shared("corpus/real/valid/oasis-cti-stix2-json-schemas/apt1.json", &len);
    stix_document *doc = NULL;
    CHECK_RC(stix_document_parse(data, len, &doc, NULL), STIX_RESULT_OK);
    REQUIRE(doc != NULL);
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    struct reader_job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (struct reader_job){doc, 0, NULL, 0};
        CHECK(pthread_create(&threads[t], NULL, read_all, &jobs[t]) == 0);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    /* The lazily computed timestamps agree across threads. */
    stix_str created = stix_object_created(stix_document_object(doc, 0));
    for (int t = 0; t < THREADS; t++) {
        CHECK(jobs[t].mismatches == 0);
        CHECK(jobs[t].first && bytes_eq(jobs[t].first, jobs[t].first_len, jobs[0].first,
                                        jobs[0].first_len));
    }
    for (int t = 0; t < THREADS; t++)
        stix_string_free(jobs[t].first);
    CHECK(created.data == stix_object_created(stix_document_object(doc, 0)).data);
    stix_document_free(doc);
    free(data);
}

/* Every readable file of the corpus reads back to itself. */
static size_t g_corpus_files, g_corpus_objects;

static void round_trip_file(const char *path) {
    size_t len;
    uint8_t *data = read_file(path, &len);
    stix_document *doc = NULL;
    stix_error *err = NULL;
    stix_result rc = stix_document_parse(data, len, &doc, &err);
    CHECK(rc == STIX_RESULT_OK);
    if (rc != STIX_RESULT_OK) {
        fprintf(stderr, "  %s: %s\n", path, err ? stix_error_message(err).data : "?");
        stix_error_free(err);
        free(data);
        return;
    }
    size_t n = stix_document_object_count(doc);
    char *json = NULL;
    size_t json_len = 0;
    CHECK_RC(stix_document_json(doc, &json, &json_len), STIX_RESULT_OK);
    stix_document *doc2 = NULL;
    CHECK_RC(stix_document_parse((const uint8_t *)json, json_len, &doc2, NULL), STIX_RESULT_OK);
    if (doc2) {
        CHECK(stix_document_object_count(doc2) == n);
        char *json2 = NULL;
        size_t json2_len = 0;
        CHECK_RC(stix_document_json(doc2, &json2, &json2_len), STIX_RESULT_OK);
        CHECK(json2 && bytes_eq(json, json_len, json2, json2_len));
        for (size_t i = 0; i < n; i++) {
            const stix_object *a = stix_document_object(doc, i);
            const stix_object *b = stix_document_object(doc2, i);
            stix_str ca = stix_object_created(a), cb = stix_object_created(b);
            CHECK((ca.data == NULL) == (cb.data == NULL));
            if (ca.data && cb.data)
                CHECK(bytes_eq(ca.data, ca.len, cb.data, cb.len));
            CHECK(stix_object_is_typed(a) == stix_object_is_typed(b));
        }
        stix_string_free(json2);
        stix_document_free(doc2);
    }
    g_corpus_files++;
    g_corpus_objects += n;
    stix_string_free(json);
    stix_document_free(doc);
    free(data);
}

static void walk(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        exit(2);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        snprintf(p, n, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk(p);
        } else if (n > 6 && strcmp(p + strlen(p) - 5, ".json") == 0 &&
                   strstr(e->d_name, "index") == NULL) {
            round_trip_file(p);
        }
        free(p);
    }
    closedir(d);
}

static void corpus_round_trips_through_the_abi(void) {
    char *dir = shared_path("corpus/real/valid");
    walk(dir);
    free(dir);
    printf("     (%zu files, %zu objects)\n", g_corpus_files, g_corpus_objects);
    CHECK(g_corpus_files >= 50);
    CHECK(g_corpus_objects >= 5000);
}

/* ------------------------------------------------------------------ */
/* Hostile input: every entry point, no panic, no crash, no leak        */
/* ------------------------------------------------------------------ */

static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static size_t g_hostile_calls;

static void hammer(const uint8_t *data, size_t len) {
    stix_error *err = NULL;
    stix_result rc;

    stix_document *doc = NULL;
    rc = stix_document_parse(data, len, &doc, &err);
    CHECK(rc != STIX_RESULT_PANIC);
    CHECK((rc == STIX_RESULT_OK) == (doc != NULL));
    CHECK((rc == STIX_RESULT_OK) == (err == NULL));
    if (err)
        CHECK(stix_error_message(err).len > 0);
    if (doc) {
        for (size_t i = 0; i < stix_document_object_count(doc); i++) {
            char *j = NULL;
            CHECK_RC(stix_document_object_json(doc, i, &j, NULL), STIX_RESULT_OK);
            stix_string_free(j);
            (void)stix_object_created(stix_document_object(doc, i));
        }
        char *j = NULL;
        CHECK_RC(stix_document_json(doc, &j, NULL), STIX_RESULT_OK);
        stix_string_free(j);
    }
    stix_document_free(doc);
    stix_error_free(err);
    err = NULL;

    stix_report *report = NULL;
    rc = stix_validate(data, len, STIX_VALIDATE_STRICT, &report, &err);
    CHECK(rc != STIX_RESULT_PANIC);
    CHECK((rc == STIX_RESULT_OK) == (report != NULL));
    if (report) {
        char *j = NULL;
        CHECK_RC(stix_report_json(report, &j, NULL), STIX_RESULT_OK);
        stix_string_free(j);
    }
    stix_report_free(report);
    stix_error_free(err);
    err = NULL;

    stix_object *obj = NULL;
    rc = stix_object_parse(data, len, &obj, &err);
    CHECK(rc != STIX_RESULT_PANIC);
    stix_object_free(obj);
    stix_error_free(err);
    err = NULL;

    stix_reader *reader = NULL;
    CHECK_RC(stix_reader_open_bytes(data, len, 4096, &reader, NULL), STIX_RESULT_OK);
    for (int guard = 0; guard < 100000; guard++) {
        stix_object *o = NULL;
        rc = stix_reader_next(reader, &o, NULL);
        CHECK(rc != STIX_RESULT_PANIC);
        if (rc != STIX_RESULT_OK || o == NULL)
            break;
        stix_object_free(o);
    }
    stix_reader_free(reader);

    stix_pattern_result *pr = NULL;
    rc = stix_pattern_check((const char *)data, len, STIX_SPEC_2_1, &pr, NULL);
    CHECK(rc == STIX_RESULT_OK || rc == STIX_RESULT_INVALID_UTF8);
    stix_pattern_result_free(pr);

    stix_bundle_builder *b = NULL;
    stix_bundle_builder_new(&b);
    rc = stix_bundle_builder_add_json(b, data, len, NULL);
    CHECK(rc != STIX_RESULT_PANIC);
    stix_bundle_builder_free(b);
    g_hostile_calls += 6;
}

static const char *const TOKENS[] = {
    "{", "}", "[", "]", ":", ",", "\"type\"", "\"bundle\"", "\"objects\"", "\"id\"",
    "\"indicator\"", "\"indicator--5fdd3a16-8a61-49a7-936c-d61319c06515\"",
    "\"spec_version\"", "\"2.1\"", "\"2.0\"", "\"created\"", "\"modified\"",
    "\"2024-01-24T12:38:07.927Z\"", "\"9999-99-99T99:99:99Z\"", "\"pattern\"",
    "\"[ipv4-addr:value = '1.2.3.4']\"", "\"[a:b = 1\"", "\"pattern_type\"", "\"stix\"",
    "\"valid_from\"", "null", "true", "false", "0", "-0", "1e999", "-1", "18446744073709551616",
    "\"\\u0000\"", "\"\\ud800\"", "\"\\\"\"", "\"x_custom\"", "\"object_marking_refs\"",
    "\"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82\"", "\"external_references\"",
    "\"hashes\"", "\"MD5\"", "\"relationship\"", "\"source_ref\"", "\"target_ref\"",
    "\"extensions\"", "\"granular_markings\"", "\"selectors\"", " ", "\n", "\xff", "\xc3",
};

static void hostile_inputs_never_panic(void) {
    uint8_t buf[4096];
    /* Random bytes. */
    for (int iter = 0; iter < 150; iter++) {
        size_t len = rnd() % 300;
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rnd();
        hammer(buf, len);
    }
    /* Token soup: JSON-shaped nonsense that gets past the tokenizer. */
    const size_t ntok = sizeof TOKENS / sizeof TOKENS[0];
    for (int iter = 0; iter < 400; iter++) {
        size_t len = 0;
        if (iter % 2 == 0) {
            len = (size_t)sprintf((char *)buf, "{\"type\":\"bundle\",\"objects\":[{");
        }
        size_t count = 1 + rnd() % 60;
        for (size_t t = 0; t < count; t++) {
            const char *tok = TOKENS[rnd() % ntok];
            size_t tl = strlen(tok);
            if (len + tl >= sizeof buf)
                break;
            memcpy(buf + len, tok, tl);
            len += tl;
        }
        hammer(buf, len);
    }
    /* Truncations and byte mutations of a real bundle. */
    size_t len;
    uint8_t *data = read_shared(
        "corpus/real/valid/oasis-cti-stix2-json-schemas/indicator-for-c2-ip-address.json", &len);
    for (int iter = 0; iter < 60; iter++)
        hammer(data, rnd() % (len + 1));
    uint8_t *copy = malloc(len);
    for (int iter = 0; iter < 150; iter++) {
        memcpy(copy, data, len);
        int flips = 1 + (int)(rnd() % 3);
        for (int f = 0; f < flips; f++)
            copy[rnd() % len] = (uint8_t)rnd();
        hammer(copy, len);
    }
    free(copy);
    free(data);
    /* Huge numbers, long strings. */
    static const char huge[] =
        "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","
        "\"objects\":[{\"type\":\"x-n\",\"id\":\"x-n--28bb3599-77cd-5a82-a950-b5bc3caf07c4\","
        "\"x_big\":1e400,\"x_neg\":-18446744073709551617,\"created\":\"2024-01-24T12:38:07."
        "9999999999999999999999999999999999999999Z\"}]}";
    hammer((const uint8_t *)huge, strlen(huge));
    printf("     (%zu hostile calls)\n", g_hostile_calls);
    CHECK(g_hostile_calls > 4000);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SHARED_DIR\n", argv[0]);
        return 2;
    }
    g_shared = argv[1];

    RUN(version_and_result_names);
    RUN(bindings_python_access_nanosecond_timestamp);
    RUN(bindings_ms_precision_preserved_on_output);
    RUN(per_object_recovery_in_a_bundle);
    RUN(null_arguments_are_refused);
    RUN(invalid_utf8_is_located);
    RUN(malformed_json_has_line_and_column);
    RUN(deep_nesting_is_refused);
    RUN(patterns_are_checked);
    RUN(reader_streams_a_corpus_bundle);
    RUN(validate_path_matches_validate_in_memory);
    RUN(bundle_builder_round_trips);
    RUN(interior_nul_keeps_length);
    RUN(documents_are_shared_between_threads);
    RUN(corpus_round_trips_through_the_abi);
    RUN(hostile_inputs_never_panic);

    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
