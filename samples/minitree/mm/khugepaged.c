// SPDX-License-Identifier: GPL-2.0
/*
 * Mini kernel tree for the reviewer project: the one khugepaged function that
 * reads an atomic VMA flag, condensed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/mmu_notifier.h>
#include <linux/rmap.h>
#include <linux/swap.h>

#include "internal.h"

static bool file_backed_vma_is_retractable(struct vm_area_struct *vma)
{
	/*
	 * Check vma->anon_vma to exclude MAP_PRIVATE mappings that
	 * got written to. These VMAs are likely not worth removing
	 * page tables from, as PMD-mapping is likely to be split later.
	 */
	if (READ_ONCE(vma->anon_vma))
		return false;

	/*
	 * When a vma is registered with uffd-wp, we cannot recycle
	 * the page table because there may be pte markers installed.
	 * Other vmas can still have the same file mapped hugely, but
	 * skip this one: it will always be mapped in small page size
	 * for uffd-wp registered ranges.
	 */
	if (userfaultfd_wp(vma))
		return false;

	/*
	 * If the VMA contains guard regions then we can't collapse it.
	 *
	 * This is set atomically on guard marker installation under mmap/VMA
	 * read lock, and here we may not hold any VMA or mmap lock at all.
	 *
	 * This is therefore serialised on the PTE page table lock, which is
	 * obtained on guard region installation after the flag is set, so this
	 * check being performed under this lock excludes races.
	 */
	if (vma_flag_test_atomic(vma, VMA_MAYBE_GUARD_BIT))
		return false;

	return true;
}
