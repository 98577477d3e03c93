/*
 * validate - check STIX 2.1 bundles with libstix and print every finding.
 *
 *   validate [--strict] [--json] FILE...
 *
 * Each file is streamed (one object in memory at a time). One line per
 * diagnostic:
 *   FILE: error [STIX-TS-01] indicator--... at /objects/3/created (line 40, column 18): ...
 * With --json, the whole report of each file is printed as one JSON line.
 *
 * Exit status: 0 when every file is valid, 1 when any object or bundle is
 * invalid, 2 when a file cannot be read or is not JSON.
 */
#include <stdio.h>
#include <string.h>

#include "libstix.h"

static void print_str(stix_str s) {
    /* %.*s also copes with strings that hold NUL bytes. */
    if (s.data)
        printf("%.*s", (int)s.len, s.data);
}

static int validate_file(const char *path, uint32_t flags, int json) {
    stix_report *report = NULL;
    stix_error *err = NULL;
    stix_result rc = stix_validate_path(path, flags, &report, &err);
    if (rc != STIX_RESULT_OK) {
        fprintf(stderr, "%s: %s: ", path, stix_result_name(rc));
        if (err)
            fprintf(stderr, "%.*s", (int)stix_error_message(err).len,
                    stix_error_message(err).data);
        fprintf(stderr, "\n");
        stix_error_free(err);
        return 2;
    }

    if (json) {
        char *text = NULL;
        size_t len = 0;
        if (stix_report_json(report, &text, &len) == STIX_RESULT_OK) {
            fwrite(text, 1, len, stdout);
            putchar('\n');
        }
        stix_string_free(text);
    } else {
        size_t n = stix_report_diagnostic_count(report);
        for (size_t i = 0; i < n; i++) {
            stix_diagnostic d;
            if (stix_report_diagnostic(report, i, &d) != STIX_RESULT_OK)
                continue;
            printf("%s: %s [", path,
                   d.severity == STIX_SEVERITY_ERROR ? "error" : "warning");
            print_str(d.rule);
            printf("]");
            if (d.object_id.data) {
                printf(" ");
                print_str(d.object_id);
            }
            if (d.path.len > 0) {
                printf(" at ");
                print_str(d.path);
            }
            if (d.line > 0)
                printf(" (line %llu, column %llu)", (unsigned long long)d.line,
                       (unsigned long long)d.column);
            printf(": ");
            print_str(d.message);
            printf("\n");
        }
        printf("%s: %zu objects, %zu invalid, %zu errors, %zu warnings: %s\n", path,
               stix_report_object_count(report), stix_report_invalid_count(report),
               stix_report_error_count(report), stix_report_warning_count(report),
               stix_report_valid(report) ? "valid" : "INVALID");
    }
    int status = stix_report_valid(report) ? 0 : 1;
    stix_report_free(report);
    return status;
}

int main(int argc, char **argv) {
    uint32_t flags = STIX_VALIDATE_DEFAULT;
    int json = 0, files = 0, status = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0) {
            flags |= STIX_VALIDATE_STRICT | STIX_VALIDATE_WARNINGS_AS_ERRORS;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strncmp(argv[i], "--", 2) == 0) {
            fprintf(stderr, "unknown option %s\nusage: %s [--strict] [--json] FILE...\n",
                    argv[i], argv[0]);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) == 0)
            continue;
        files++;
        int s = validate_file(argv[i], flags, json);
        if (s > status)
            status = s;
    }
    if (files == 0) {
        fprintf(stderr, "usage: %s [--strict] [--json] FILE...\n(libstix %s)\n", argv[0],
                stix_version());
        return 2;
    }
    return status;
}
