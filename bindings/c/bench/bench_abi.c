/*
 * bench_abi - cost of the C ABI on the large-bundle case (log B46):
 * one malware, N indicators with distinct ipv4 patterns, N `indicates`
 * relationships, millisecond timestamps.
 *
 *   bench_abi N FILE   build the bundle with stix_bundle_builder, write it
 *                      to FILE, then time parse, validate and streaming
 *   bench_abi --stream FILE
 *                      only stream FILE with stix_reader (for peak memory)
 *
 * Prints one line per phase: seconds and peak RSS (KiB) so far.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "libstix.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_kib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void die(const char *what, stix_result rc, stix_error *err) {
    fprintf(stderr, "%s: %s: %s\n", what, stix_result_name(rc),
            err ? stix_error_message(err).data : "");
    exit(1);
}

static size_t stream(const char *path) {
    stix_reader *r = NULL;
    stix_error *err = NULL;
    stix_result rc = stix_reader_open_path(path, 0, &r, &err);
    if (rc != STIX_RESULT_OK)
        die("open", rc, err);
    size_t n = 0;
    for (;;) {
        stix_object *o = NULL;
        rc = stix_reader_next(r, &o, &err);
        if (rc != STIX_RESULT_OK)
            die("next", rc, err);
        if (!o)
            break;
        n++;
        stix_object_free(o);
    }
    stix_reader_free(r);
    return n;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--stream") == 0) {
        double t = now();
        size_t n = stream(argv[2]);
        printf("stream  %zu objects  %.3f s  peak %ld KiB\n", n, now() - t, peak_kib());
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s N FILE | --stream FILE\n", argv[0]);
        return 2;
    }
    size_t n = strtoul(argv[1], NULL, 10);
    const char *path = argv[2];
    const char *malware_id = "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b";
    char obj[1024];
    stix_error *err = NULL;
    stix_result rc;

    double t = now();
    stix_bundle_builder *b = NULL;
    stix_bundle_builder_new(&b);
    int len = snprintf(obj, sizeof obj,
                       "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"%s\","
                       "\"created\":\"2024-01-24T12:38:07.927Z\",\"modified\":\"2024-01-24T12:38:07.927Z\","
                       "\"name\":\"Example\",\"is_family\":true}",
                       malware_id);
    if ((rc = stix_bundle_builder_add_json(b, (const uint8_t *)obj, (size_t)len, &err)))
        die("add", rc, err);
    for (size_t i = 0; i < n; i++) {
        len = snprintf(obj, sizeof obj,
                       "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
                       "\"id\":\"indicator--5fdd3a16-8a61-49a7-936c-%012zx\","
                       "\"created\":\"2024-01-24T12:38:07.927Z\",\"modified\":\"2024-01-24T12:38:07.927Z\","
                       "\"name\":\"Indicator %zu\",\"indicator_types\":[\"malicious-activity\"],"
                       "\"pattern\":\"[ipv4-addr:value = '198.%zu.%zu.%zu']\",\"pattern_type\":\"stix\","
                       "\"valid_from\":\"2024-01-24T12:38:07Z\"}",
                       i, i, 18 + (i >> 16) % 2, (i >> 8) & 255, i & 255);
        if ((rc = stix_bundle_builder_add_json(b, (const uint8_t *)obj, (size_t)len, &err)))
            die("add", rc, err);
        len = snprintf(obj, sizeof obj,
                       "{\"type\":\"relationship\",\"spec_version\":\"2.1\","
                       "\"id\":\"relationship--6fdd3a16-8a61-49a7-936c-%012zx\","
                       "\"created\":\"2024-01-24T12:38:07.927Z\",\"modified\":\"2024-01-24T12:38:07.927Z\","
                       "\"relationship_type\":\"indicates\","
                       "\"source_ref\":\"indicator--5fdd3a16-8a61-49a7-936c-%012zx\","
                       "\"target_ref\":\"%s\"}",
                       i, i, malware_id);
        if ((rc = stix_bundle_builder_add_json(b, (const uint8_t *)obj, (size_t)len, &err)))
            die("add", rc, err);
    }
    char *json = NULL;
    size_t json_len = 0;
    if ((rc = stix_bundle_builder_json(b, &json, &json_len)))
        die("json", rc, NULL);
    stix_bundle_builder_free(b);
    printf("build     %zu objects  %.1f MB  %.3f s  peak %ld KiB\n", 2 * n + 1,
           (double)json_len / 1e6, now() - t, peak_kib());

    FILE *f = fopen(path, "wb");
    if (!f || fwrite(json, 1, json_len, f) != json_len || fclose(f) != 0) {
        perror(path);
        return 1;
    }

    t = now();
    stix_document *doc = NULL;
    if ((rc = stix_document_parse((const uint8_t *)json, json_len, &doc, &err)))
        die("parse", rc, err);
    size_t count = stix_document_object_count(doc);
    stix_document_free(doc);
    printf("parse     %zu objects  %.3f s  peak %ld KiB\n", count, now() - t, peak_kib());

    t = now();
    stix_report *report = NULL;
    if ((rc = stix_validate((const uint8_t *)json, json_len, STIX_VALIDATE_DEFAULT, &report, &err)))
        die("validate", rc, err);
    printf("validate  %zu objects  %zu invalid  %.3f s  peak %ld KiB\n",
           stix_report_object_count(report), stix_report_invalid_count(report), now() - t,
           peak_kib());
    stix_report_free(report);
    stix_string_free(json);

    t = now();
    count = stream(path);
    printf("stream    %zu objects  %.3f s\n", count, now() - t);
    return 0;
}
