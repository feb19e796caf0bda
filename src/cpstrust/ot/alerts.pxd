# The aggregator's C declarations (alerts.pyx): the rules cimport it to count each
# occurrence of an open burst with a C call.

cdef class _Burst:
    cdef double first, last
    cdef long long count
    cdef object kind, detector, explanation, facts


cdef class AlertAggregator:
    cdef public double gap
    cdef public long long dropped
    cdef dict _open  # by _key: _Burst
    cdef list _closed
    cdef public object opened

    cpdef bint counted(self, double ts, kind, src, dst, str detail) except -1
    cdef int _close(self, tuple key, _Burst burst) except -1
