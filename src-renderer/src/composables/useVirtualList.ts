import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

export interface WindowRange {
  /** First row rendered (inclusive). */
  start: number
  /** Row after the last one rendered (exclusive). */
  end: number
}

/**
 * Which rows of a fixed-height list are on screen, plus `overscan` rows either side so that
 * scrolling a little never shows a gap. Pure, so it is tested on its own.
 */
export function windowRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): WindowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 }
  const first = Math.min(count - 1, Math.max(0, Math.floor(scrollTop / rowHeight)))
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + visible + overscan) }
}

export interface VirtualListOptions {
  count: Ref<number>
  rowHeight: number
  overscan?: number
  /** Used until the container has been measured (and where layout does not exist, as in tests). */
  fallbackViewport?: number
}

/**
 * A virtualised list with a fixed row height: only the rows in view (and a few around them) are in
 * the DOM, so 10,000 conversations cost what 20 do. Bind `container` to the scrolling element,
 * call `onScroll` from its scroll event and position each row at `index * rowHeight`.
 */
export function useVirtualList(options: VirtualListOptions) {
  const { count, rowHeight, overscan = 6, fallbackViewport = 720 } = options
  const container = ref<HTMLElement | null>(null)
  const scrollTop = ref(0)
  const measured = ref(0)
  let observer: ResizeObserver | null = null

  const viewportHeight = computed(() => measured.value || fallbackViewport)
  const range = computed(() => windowRange(scrollTop.value, viewportHeight.value, rowHeight, count.value, overscan))
  const totalHeight = computed(() => count.value * rowHeight)

  function measure() {
    measured.value = container.value?.clientHeight ?? 0
  }

  function onScroll() {
    scrollTop.value = container.value?.scrollTop ?? 0
  }

  /** Scrolls as little as needed for the row to be fully visible (keyboard navigation). */
  function scrollToIndex(index: number) {
    const element = container.value
    const top = index * rowHeight
    const height = viewportHeight.value
    let next = scrollTop.value
    if (top < next) next = top
    else if (top + rowHeight > next + height) next = top + rowHeight - height
    if (next === scrollTop.value) return
    if (element) element.scrollTop = next
    scrollTop.value = next
  }

  onMounted(() => {
    // The observer is called once the page is laid out anyway (before it is painted), when reading
    // the height costs nothing: the first rows never wait for a layout forced just to measure.
    if (typeof ResizeObserver !== 'undefined' && container.value) {
      observer = new ResizeObserver(measure)
      observer.observe(container.value)
    } else {
      measure()
    }
  })
  onBeforeUnmount(() => observer?.disconnect())

  return { container, range, totalHeight, rowHeight, onScroll, scrollToIndex, measure }
}
