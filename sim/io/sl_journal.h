// sl_journal.h: the crash-safe journal of finished sweep blocks (see sl_journal.c).
#ifndef SL_JOURNAL_H
#define SL_JOURNAL_H

#include <stdint.h>

#include "sl_status.h"

typedef struct slJournal slJournal;

// Create a new journal (resume = 0; an existing file is replaced) or open an existing one to
// resume; the journal stays locked while open (another sweep gets SL_ERR_ARG) (its header must
// match: fingerprint, number of blocks, row size; a torn tail is cut).
slStatus sl_journal_open(slJournal** j, const char* path, uint64_t fingerprint, long nblock,
                         int rowbytes, int resume, slError* err);
void     sl_journal_close(slJournal* j);
int      sl_journal_done(const slJournal* j, long block);
long     sl_journal_ndone(const slJournal* j);
// Append a finished block; it is durable after the next sl_journal_sync (a record torn by a
// crash before that fails its checksum on resume and the block is computed again).
slStatus sl_journal_append(slJournal* j, long block, const void* rows, int nrows, slError* err);
// Flush and fsync everything appended so far.
slStatus sl_journal_sync(slJournal* j, slError* err);
// Call fn for every block in the journal, in file order.
typedef slStatus (*slJournalFn)(void* ctx, long block, const void* rows, int nrows, slError* err);
slStatus sl_journal_scan(slJournal* j, slJournalFn fn, void* ctx, slError* err);
int      sl_journal_remove(const char* path);
// 1 if a sweep has the journal at path open right now (it is locked while open), else 0
int sl_journal_busy(const char* path);

#endif
