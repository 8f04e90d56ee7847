// SPDX-License-Identifier: GPL-2.0
/*
 *	linux/mm/madvise.c
 *
 * Copyright (C) 1999  Linus Torvalds
 * Copyright (C) 2002  Christoph Hellwig
 *
 * Mini kernel tree for the reviewer project: guard region installation,
 * condensed.
 */

#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/syscalls.h>
#include <linux/mm.h>

#include "internal.h"

static long madvise_guard_install(struct madvise_behavior *madv_behavior)
{
	struct vm_area_struct *vma = madv_behavior->vma;
	struct madvise_behavior_range *range = &madv_behavior->range;
	long err;
	int i;

	if (!is_valid_guard_vma(vma, /* allow_locked = */false))
		return -EINVAL;

	/*
	 * Set atomically under read lock. All pertinent readers will need to
	 * acquire an mmap/VMA write lock to read it. All remaining readers may
	 * or may not see the flag set, but we don't care.
	 */
	vma_flag_set_atomic(vma, VMA_MAYBE_GUARD_BIT);

	/*
	 * If anonymous and we are establishing page tables the VMA ought to
	 * have an anon_vma associated with it.
	 *
	 * We will hold an mmap read lock if this is necessary, this is checked
	 * as part of the VMA lock logic.
	 */
	if (vma_is_anonymous(vma)) {
		VM_WARN_ON_ONCE(!madv_behavior->lock_mode);
		err = anon_vma_prepare(vma);
		if (err)
			return err;
	}

	/*
	 * Optimistically try to install the guard marker pages first. If any
	 * non-guard pages or THP huge pages are encountered, give up and zap
	 * the range before trying again.
	 */
	for (i = 0; i < MAX_MADVISE_GUARD_RETRIES; i++) {
		unsigned long nr_pages = 0;

		/* Returns < 0 on error, == 0 if success, > 0 if zap needed. */
		err = walk_page_range_mm_unsafe(vma->vm_mm, range->start,
						range->end, &guard_install_walk_ops,
						&nr_pages);
		if (err < 0)
			return err;

		if (err == 0) {
			unsigned long nr_expected_pages =
				PHYS_PFN(range->end - range->start);

			VM_WARN_ON_ONCE(nr_pages != nr_expected_pages);
			return 0;
		}

		/* Zap the range and try again. */
		zap_page_range_single(vma, range->start,
				range->end - range->start, NULL);
	}

	return -EAGAIN;
}
